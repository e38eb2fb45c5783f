from . import tv_integration
from . import tv_catalog
from . import tv_product
from . import contract_tv_line
from . import contract_status
from . import tv_user
