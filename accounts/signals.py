from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def mark_email_verified_after_reset(sender, request, user, **kwargs):
    """Setting a password through the emailed link proves the address is theirs."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
