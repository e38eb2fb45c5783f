# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the operator reads when the platform refuses or fails: each of the
client's exceptions (oletv_client) in translated words, with what to do
and never a secret (tv.integration._platform_error_message)."""
from odoo import _

from .. import oletv_client as ole

# the system parameter of the production API URL (tv.integration's BASE_URL_PARAMS)
PRODUCTION_URL_PARAM = "oletv_integration.production_url"


def platform_error_message(integrations, exc):
    """A translated, secret-free explanation of a client exception
    (`integrations`: the integration concerned, or an empty recordset)."""
    context = integrations.env.context  # noqa: F841 (_() reads the language there)
    detail = exc.message or ""
    if isinstance(exc, ole.IPNotAllowedError):
        if exc.client_ip:
            return _("Olé TV has not released this server's IP address. "
                     "Ask Olé TV to release IP %s for API access.") % exc.client_ip
        return _("Olé TV has not released this server's IP address. "
                 "Ask Olé TV to release your server's public IP for API access.")
    if isinstance(exc, ole.ConfigurationError):
        if exc.status_code:
            return _("Olé TV answered with a redirect (HTTP %(status)s), which is never "
                     "followed: the credentials must not leave for another address. "
                     "Check the API URL.") % {"status": exc.status_code}
        return _("The production environment must use an https:// API URL; the "
                 "configured URL is %(url)s. Fix the system parameter %(param)s.") % {
                     "url": integrations[:1].base_url or "", "param": PRODUCTION_URL_PARAM}
    if isinstance(exc, ole.AuthenticationError):
        return _("Olé TV refused the credentials: check the access token, API login "
                 "and API password given by Olé TV. (%s)") % detail
    if isinstance(exc, ole.ForbiddenError):
        return _("Olé TV refused the operation: %s") % detail
    if isinstance(exc, ole.NotFoundError):
        return _("The subscriber does not exist on Olé TV (it may have been deleted "
                 "on the Olé TV panel). (%s)") % detail
    if isinstance(exc, ole.AwaitingActivationError):
        return _("The TV user has not accessed Olé TV yet; its access is applied "
                 "after the first access. (%s)") % detail
    if isinstance(exc, ole.LoginTakenError):
        return _("This login is already used by another Olé TV subscriber. (%s)") % detail
    if isinstance(exc, ole.ValidationError):
        fields_text = "; ".join("%s: %s" % item for item in sorted(exc.details.items()))
        return _("Olé TV rejected the data: %s") % (fields_text or detail)
    if isinstance(exc, ole.RateLimitedError):
        return _("Olé TV is limiting requests; try again in %s seconds.") % (
            exc.retry_after or 1)
    if isinstance(exc, ole.UnavailableError):
        return _("Olé TV could not be reached (platform down or network problem). "
                 "Try again later. (%s)") % detail
    return _("Olé TV error: %s") % detail
