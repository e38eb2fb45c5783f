"""Catalog seeded into a fresh sandbox database."""

EXTRA_POINT_CODE = "EXTRA_POINT"

# (code, name, kind, extra_point)
PACKAGES = (
    ("BASIC", "Olé Básico", "main", False),
    ("FAMILY", "Olé Família", "main", False),
    ("PREMIUM", "Olé Premium", "main", False),
    ("HBO", "HBO Max", "additional", False),
    ("TELECINE", "Telecine", "additional", False),
    ("SPORTS", "Olé Esportes", "additional", False),
    (EXTRA_POINT_CODE, "Ponto adicional", "additional", True),
)

# (code, name)
EQUIPMENT_MODELS = (
    ("STB-X1", "Set-top box Olé X1 (IPTV)"),
    ("STB-4K", "Set-top box Olé 4K"),
    ("ANDROID-TV", "Android TV box Olé Smart"),
)
