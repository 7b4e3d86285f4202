"""django-import-export resource for the admin's flat round trip of list items (draft lists only)."""
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from common.deadlines import DeadlineError, parse_deadline
from common.imports.names import PersonResolver, UnitResolver, UnknownName

from .models import Item, ItemUnit, ListStatus, ResponsibilityList


class ItemResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="ID", widget=widgets.IntegerWidget())
    responsibility_list = fields.Field(attribute="responsibility_list", column_name="清单ID",
                                       widget=widgets.ForeignKeyWidget(ResponsibilityList))
    position = fields.Field(attribute="position", column_name="顺序", widget=widgets.IntegerWidget())
    seq = fields.Field(attribute="seq", column_name="序号")
    category = fields.Field(attribute="category", column_name="责任类别")
    content = fields.Field(attribute="content", column_name="责任内容")
    tasks = fields.Field(attribute="tasks", column_name="具体任务")
    lead_leader_text = fields.Field(attribute="lead_leader_text", column_name="牵头领导")
    units_text = fields.Field(attribute="units_text", column_name="责任单位")
    deadline_text = fields.Field(attribute="deadline_text", column_name="完成时限")
    standard = fields.Field(attribute="standard", column_name="完成标准")
    evidence = fields.Field(attribute="evidence", column_name="佐证材料")

    class Meta:
        model = Item
        import_id_fields = ("id",)
        fields = ("id", "responsibility_list", "position", "seq", "category", "content", "tasks", "lead_leader_text",
                  "units_text", "deadline_text", "standard", "evidence")
        use_transactions = True
        skip_unchanged = True

    def before_import(self, dataset, **kwargs):
        self._units, self._people = UnitResolver(), PersonResolver()

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            stored = Item.objects.filter(pk=instance.pk).values_list("responsibility_list_id", flat=True).first()
            if stored is not None and stored != instance.responsibility_list_id:
                raise ValueError(_("不能把事项移到另一份清单"))
        if instance.responsibility_list.status != ListStatus.DRAFT:
            raise ValueError(_("清单“%(list)s”已发布，只能在修订草稿中修改") % {"list": instance.responsibility_list})
        for name in ("seq", "category", "tasks", "lead_leader_text", "units_text", "standard", "evidence"):
            if getattr(instance, name) is None:
                setattr(instance, name, "")
        try:
            deadline = parse_deadline(instance.deadline_text, year=instance.responsibility_list.year)
            instance._units = self._units.resolve(instance.units_text)
            instance.lead_leader = self._people.resolve(instance.lead_leader_text, allow_generic=True)
        except (DeadlineError, UnknownName) as exc:
            raise ValueError(exc.message) from None
        instance.frequency = deadline.frequency.value
        instance.due_dates = [d.isoformat() for d in deadline.due_dates]
        instance.final_due_on = deadline.last_due

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_units", None) is None:
            return
        ItemUnit.objects.filter(item=instance).delete()
        ItemUnit.objects.bulk_create([ItemUnit(item=instance, organisation=org, is_lead=lead, position=i)
                                      for i, (org, lead) in enumerate(instance._units)])
