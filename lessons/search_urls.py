from django.urls import path

from lessons import search_views

urlpatterns = [path("", search_views.search_page, name="search")]
