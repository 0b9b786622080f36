"""allauth's account adapter: emails through our background queue, links to the frontend."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from lms.common.email import email_queue


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails after commit through our mail queue, with frontend links."""

    def send_mail(self, template_prefix, email, context):
        msg = self.render_mail(template_prefix, email, context)
        email_queue(to=list(msg.to), subject=msg.subject, body=msg.body)

    def format_email_subject(self, subject):
        # allauth would prefix the Sites framework's name ("example.com").
        return subject

    def get_email_confirmation_url(self, request, emailconfirmation):
        return f"{settings.FRONTEND_URL}/verify-email/{emailconfirmation.key}"
