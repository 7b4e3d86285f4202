"""django-import-export resources: staff load the organisation tree and its people from Excel."""
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .matching import OrganisationMatcher
from .models import Organisation, OrgKind, Person, Post, PostKind

_SEPARATORS = ("、", "，", ",", "；", ";", "\n")


class ChoiceLabelWidget(widgets.Widget):
    """Reads a choice by its Chinese label or its code; writes the label."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.by_text = {str(label): code for code, label in choices} | {code: code for code, _ in choices}
        self.labels = dict(choices)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text not in self.by_text:
            raise ValueError(_("无法识别“%(value)s”，可选：%(choices)s")
                             % {"value": text, "choices": "、".join(str(v) for v in self.labels.values())})
        return self.by_text[text]

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class OrganisationNameWidget(widgets.ForeignKeyWidget):
    """An organisation named by its full name, short name or alias."""

    def __init__(self, **kwargs):
        super().__init__(Organisation, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        # Match against the database as it is now, so parents created earlier in the same file are found.
        matcher = OrganisationMatcher(Organisation.objects.all())
        found = matcher.match(text)
        if found is None:
            hint = "、".join(matcher.close_matches(text))
            raise ValueError(_("未找到组织“%(name)s”") % {"name": text}
                             + (_("，是否为：%(hint)s") % {"hint": hint} if hint else ""))
        return found


class OrganisationNamesWidget(widgets.ManyToManyWidget):
    def __init__(self, **kwargs):
        super().__init__(Organisation, separator="、", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "")
        for sep in _SEPARATORS:
            text = text.replace(sep, "、")
        single = OrganisationNameWidget()
        return [single.clean(part) for part in text.split("、") if part.strip()]


class OrganisationResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="名称")
    short_name = fields.Field(attribute="short_name", column_name="简称")
    aliases = fields.Field(attribute="aliases", column_name="别名")
    kind = fields.Field(attribute="kind", column_name="组织类别", widget=ChoiceLabelWidget(OrgKind.choices))
    parent = fields.Field(attribute="parent", column_name="上级组织", widget=OrganisationNameWidget())
    covers = fields.Field(attribute="covers", column_name="所辖科室/单位", widget=OrganisationNamesWidget())
    sort_order = fields.Field(attribute="sort_order", column_name="排序", widget=widgets.IntegerWidget())
    is_active = fields.Field(attribute="is_active", column_name="有效", widget=widgets.BooleanWidget())
    established_on = fields.Field(attribute="established_on", column_name="成立时间", widget=widgets.DateWidget())
    phone = fields.Field(attribute="phone", column_name="联系电话")

    class Meta:
        model = Organisation
        import_id_fields = ("name",)
        fields = ("name", "short_name", "aliases", "kind", "parent", "covers", "sort_order", "is_active",
                  "established_on", "phone")
        skip_unchanged = True
        report_skipped = False
        use_transactions = True

    def before_import_row(self, row, **kwargs):
        # Blank cells keep the model's defaults rather than failing the row.
        if row.get("排序") in (None, ""):
            row["排序"] = 0
        if row.get("有效") in (None, ""):
            row["有效"] = "1"
        for key in ("简称", "别名", "联系电话"):
            if row.get(key) is None:
                row[key] = ""


class PersonWidget(widgets.ForeignKeyWidget):
    """A person by name, created when the name is new; a name held by two people must be resolved by hand."""

    def __init__(self, **kwargs):
        super().__init__(Person, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("姓名不能为空"))
        people = list(Person.objects.filter(name=name)[:2])
        if len(people) > 1:
            raise ValueError(_("有两名以上人员名为“%(name)s”，请在后台指定") % {"name": name})
        if people:
            return people[0]
        return Person.objects.create(name=name, title=str((row or {}).get("行政职务") or "").strip())

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PostResource(resources.ModelResource):
    """One row per post: the people of each organisation and what they hold."""

    person = fields.Field(attribute="person", column_name="姓名", widget=PersonWidget())
    person_title = fields.Field(attribute="person__title", column_name="行政职务", readonly=True)
    organisation = fields.Field(attribute="organisation", column_name="所在组织", widget=OrganisationNameWidget())
    kind = fields.Field(attribute="kind", column_name="职务", widget=ChoiceLabelWidget(PostKind.choices))
    title = fields.Field(attribute="title", column_name="职务名称")
    is_active = fields.Field(attribute="is_active", column_name="现任", widget=widgets.BooleanWidget())

    class Meta:
        model = Post
        import_id_fields = ("person", "organisation", "kind")
        fields = ("person", "person_title", "organisation", "kind", "title", "is_active")
        skip_unchanged = True
        use_transactions = True

    def before_import_row(self, row, **kwargs):
        if row.get("现任") in (None, ""):
            row["现任"] = "1"
        if row.get("职务名称") is None:
            row["职务名称"] = ""
