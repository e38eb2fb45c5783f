# -*- coding: utf-8 -*-
from . import rpc_retry
from . import controllers
from . import models
from . import wizards
