"""Olé TV sandbox: a local, persistent imitation of the Olé TV platform API.

Run with ``python -m oletv_sandbox``; see README.md. Tests reuse
:class:`oletv_sandbox.testing.SandboxServer`.
"""
DEFAULT_TOKEN = "sandbox-token"
DEFAULT_LOGIN = "sandbox"
DEFAULT_PASSWORD = "sandbox-secret"
DEFAULT_ADMIN_KEY = "sandbox-admin"
DEFAULT_DB = "./oletv_sandbox.sqlite"
DEFAULT_ENVIRONMENT = "homologation"
