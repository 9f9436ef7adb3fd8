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
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    role = "admin"


def coordinator_for(school, **kwargs):
    return UserFactory(username=school.code, role="coordinator", school=school, **kwargs)


def respondent_account_for(school, **kwargs):
    return UserFactory(username=f"{school.code}R", role="respondent", school=school, **kwargs)


def officer(level, node=None, **kwargs):
    fields = {"role": "officer", "level": level}
    if level == "district":
        fields.update(district=node, state=node.state)
    elif level == "state":
        fields.update(state=node)
    return UserFactory(**fields, **kwargs)
