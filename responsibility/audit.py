"""Which responsibility-list models the audit log follows."""
from auditlog.registry import auditlog

from .models import Assignment, Item, ItemUnit, ResponsibilityList

auditlog.register(ResponsibilityList)
auditlog.register(Item)
auditlog.register(ItemUnit)
auditlog.register(Assignment)
