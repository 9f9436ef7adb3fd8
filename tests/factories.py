import factory
from django.contrib.auth import get_user_model

from schools.models import District, School, State

PASSWORD = "Kata-Laluan-Ujian-2026"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    # Three characters, as State.code allows, however many states a test run makes.
    code = factory.Sequence(lambda n: "S" + "".join(ALPHABET[i] for i in divmod(n % 1296, 36)))
    name = factory.Sequence(lambda n: f"Negeri {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    state = factory.SubFactory(StateFactory)
    code = factory.Sequence(lambda n: f"D-{n:03d}")
    name = factory.Sequence(lambda n: f"PPD DAERAH {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TST{n:04d}")
    name = factory.Sequence(lambda n: f"SEKOLAH KEBANGSAAN UJIAN {n}")
    district = factory.SubFactory(DistrictFactory)
    level = School.Level.PRIMARY
    type = "SK"
    enrolment = 600
    teachers = 40
    is_skm = False


class UserFactory(factory.django.DjangoModelFactory):
    """A person with no role anywhere: logs in and sees nothing (the least privilege).

    Give rights with ``grant`` or the persona helpers below.
    """

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "person"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def grant(user, role, unit, programmes=()):
    """Give ``user`` ``role`` in ``unit`` (a School, District, State, or a code such as "KPM")."""
    from core.people.services import role_grant
    from core.people.units import as_unit, unit_resolve

    unit = unit_resolve(unit) if isinstance(unit, str) else as_unit(unit)
    role_grant(user=user, role=role, unit=unit, programmes=programmes)
    from core.people.access import forget

    forget(user)
    return user


def person(username=None, roles=(), **kwargs):
    """A person holding ``roles``: [(role, unit)] or [(role, unit, programmes)]."""
    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    for entry in roles:
        grant(user, *entry)
    return user


def coordinator_for(school, **kwargs):
    """The school's shared code login, with the roles every code login holds."""
    from core.people.services import code_accounts_grant

    user = UserFactory(username=school.code, role="coordinator", school=school, **kwargs)
    code_accounts_grant([user])
    return user


def respondent_account_for(school, **kwargs):
    return UserFactory(username=f"{school.code}R", role="respondent", school=school, **kwargs)


def officer(level, node=None, programmes=(), **kwargs):
    """An officer of a district, a state or the nation (for ``programmes``; none: all)."""
    unit = "KPM" if level == "national" else node
    return person(roles=[("officer", unit, programmes)], **kwargs)


def ministry_admin(**kwargs):
    """A ministry administrator (admin in KPM), staff of the admin site."""
    kwargs.setdefault("is_staff", True)
    return person(roles=[("admin", "KPM")], **kwargs)


def head_of(school, **kwargs):
    return person(roles=[("head", school)], **kwargs)


def exam_secretary_of(school, **kwargs):
    return person(roles=[("exam_secretary", school)], **kwargs)
