from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.utils.translation import gettext

from .middleware import activate_request_language


class AccountAdapter(DefaultAccountAdapter):
    """No open signup: network admins create accounts and invite people. Logging in
    or out can change the page language (a person's preferred language applies only
    while they are logged in), so the language is chosen again right then."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        super().login(request, user)
        activate_request_language(request)

    def logout(self, request):
        """allauth says goodbye before logging out, in the language of the person
        leaving; templates/account/messages/logged_out.txt silences that, and the
        goodbye is said here, in the language of the page that follows."""
        super().logout(request)
        activate_request_language(request)
        self.add_message(request, messages.SUCCESS, message=gettext("You have signed out."))
