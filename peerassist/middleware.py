from django.conf import settings
from django.utils import translation


class ThaiFirstLocaleMiddleware:
    """Activate the language the user chose (cookie), else Thai.

    Django's LocaleMiddleware would follow the browser's Accept-Language and show most
    phones English; our users are Thai first, so only an explicit choice changes it.
    A view may still activate another language (the participant's preference).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response
