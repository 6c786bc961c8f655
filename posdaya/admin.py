from django.contrib import admin

from .models import Membership, Posdaya


@admin.register(Posdaya)
class PosdayaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "rw", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "posdaya"]
    list_filter = ["role", "posdaya"]
