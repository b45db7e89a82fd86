app_name = "cities"
urlpatterns: list = []
