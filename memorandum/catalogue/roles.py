"""Roles are Django groups with permissions, created (and kept up to date) after migrate.

Each app grants the permissions of its own models by calling :func:`grant` from its
own ``post_migrate`` handler, so the list of what a role may do lives beside the models.
"""

from django.contrib.auth.models import Group, Permission

SECRETARIAT = "secretariat"
CORPS_CHIEF = "corps_chief"
PROVINCIAL_COORDINATOR = "provincial_coordinator"
ASSEMBLY_MEMBER = "assembly_member"
PARTNER = "partner"
PUBLIC = "public"

ROLES = [SECRETARIAT, CORPS_CHIEF, PROVINCIAL_COORDINATOR, ASSEMBLY_MEMBER, PARTNER, PUBLIC]

CATALOGUE_MODELS = [
    "edition",
    "timelineevent",
    "workdomain",
    "theme",
    "recommendation",
    "addressee",
    "reference",
    "province",
    "policezone",
    "userprofile",
]


def model_permissions(
    models: list[str], actions: tuple[str, ...] = ("add", "change", "delete", "view")
) -> list[str]:
    """The codenames of these actions on these models (``add_meeting``, ``view_meeting`` …)."""
    return [f"{action}_{model}" for model in models for action in actions]


def grant(role: str, app_label: str, codenames: list[str]) -> None:
    """Give ``role`` these permissions of ``app_label`` (missing ones are an error)."""
    group, _ = Group.objects.get_or_create(name=role)
    perms = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    missing = set(codenames) - {p.codename for p in perms}
    if missing:
        raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*perms)


def create_groups() -> None:
    """Every role's group, those without a permission yet included."""
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def ensure_roles(sender=None, **kwargs) -> None:
    """Create the role groups and grant the catalogue's permissions."""
    create_groups()
    grant(SECRETARIAT, "catalogue", model_permissions(CATALOGUE_MODELS) + ["view_unpublished"])
    readers = [f"view_{model}" for model in CATALOGUE_MODELS if model != "userprofile"]
    for role in (CORPS_CHIEF, PROVINCIAL_COORDINATOR, ASSEMBLY_MEMBER):
        grant(role, "catalogue", readers + ["view_unpublished"])
    grant(PARTNER, "catalogue", readers)


def grant_sign_in_permissions(sender=None, **kwargs) -> None:
    """The secretariat sees sign-in lock-outs and lifts them (django-axes' attempts)."""
    grant(SECRETARIAT, "axes", ["view_accessattempt", "delete_accessattempt"])
