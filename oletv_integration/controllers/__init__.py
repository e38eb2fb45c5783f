# -*- coding: utf-8 -*-
from . import portal
from . import revenue
