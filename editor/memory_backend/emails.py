"""The memory backend sends no email: the demo has no SMTP relay, so its sessions
never offer "send by email" (`EditorSession.can_email` stays false) and a request
that comes anyway is refused with the service's code."""

from __future__ import annotations

from editor.backend import ActionRefused, EditorSession, EmailDraft, NewEmail, SentEmail


class MemoryEmails:
    async def email_draft(self, session: EditorSession, document_id: int) -> EmailDraft:
        raise ActionRefused("email_not_configured", "the demo sends no email")

    async def send_email(
        self, session: EditorSession, document_id: int, email: NewEmail
    ) -> SentEmail:
        raise ActionRefused("email_not_configured", "the demo sends no email")
