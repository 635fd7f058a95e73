from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open signup: network admins create accounts and invite people."""

    def is_open_for_signup(self, request):
        return False
