"""factory_boy factories for the models tests build by hand."""
import datetime

import factory
from django.contrib.auth import get_user_model

from accounts.models import RoleGrant
from branches.models import CommitteeTerm, Organisation, OrgKind, Person, Post, PostKind, Supervision


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("pass-1234")


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = "staff"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = OrgKind.BRANCH
    sort_order = factory.Sequence(lambda n: n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="zh_CN")
    user = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = PostKind.SECRETARY


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    leader = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=OrgKind.DEPARTMENT)


class CommitteeTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeTerm

    organisation = factory.SubFactory(OrganisationFactory)
    elected_on = datetime.date(2024, 6, 1)
    years = 3
