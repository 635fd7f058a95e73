"""What "My data" exports: one line per model that refers to a person.

When you add a model with a foreign key, one-to-one or many-to-many to the user
model, add its line here (the completeness test fails until you do). The default
exporter finds the rows through every user reference and describes the fields
from their verbose names; pass ``files=("file",)`` for uploaded files,
``exclude=`` for fields that must not leave the platform, or
``not_about_the_person=`` with the reason when the rows are not about the person.
"""

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from induction import models as induction
from inspiration import models as inspiration
from internships import models as internships
from knowledge_base import models as knowledge_base
from monitoring import models as monitoring
from network_sessions import models as network_sessions
from notifications import models as notifications
from oversight import models as oversight
from partnership import models as partnership
from placements import models as placements
from questionnaires import models as questionnaires
from research_cycle import models as research_cycle
from retention import models as retention
from reviews import models as reviews
from schools import models as schools
from vacancies import models as vacancies

from . import models as privacy
from .registry import register

register(
    User,
    _("Your account: name, email address, language."),
    rows_for=lambda user: User.objects.filter(pk=user.pk),
)
register(EmailAddress, _("Your email addresses and whether they are verified."))
register(
    UserSession,
    _("The devices you are signed in on: address, browser and when last seen."),
    exclude=frozenset({"data"}),
)
register(AdminLogEntry, _("Changes you made in the administration."))
register(partnership.LearningCommunity, _("Learning communities you facilitate."))
register(schools.RoleMembership, _("Your roles per school and school year."))
register(research_cycle.ResearchTeam, _("Research teams you are a member of."))
register(research_cycle.TeamMembership, _("Your place in each research team."))
register(research_cycle.StudyFieldRevision, _("Versions of study texts you wrote."))
register(research_cycle.ChecklistCheck, _("Checklist items you ticked."))
register(research_cycle.StageTransition, _("Stage moves of research cycles you made."))
register(research_cycle.LogEntry, _("Research diary entries you wrote."))
register(
    research_cycle.Attachment,
    _("Files you attached to diary entries (in files/)."),
    files=("file",),
)
register(research_cycle.Comment, _("Comments you wrote on diary entries."))
register(knowledge_base.Study, _("Studies you created or confirmed for privacy."))
register(knowledge_base.StudyAuthor, _("Studies that name you as an author, and your consent."))
register(knowledge_base.StudyEvent, _("Steps you took in the review of studies."))
register(oversight.PartnershipAgreement, _("Partnership agreements you agreed to."))
register(
    network_sessions.NetworkSession, _("Network sessions you organise or are invited to by name.")
)
register(network_sessions.Participation, _("Your answers to and attendance of network sessions."))
register(network_sessions.Delivery, _("Session mails sent to you."))
register(network_sessions.DigestDelivery, _("Weekly digests sent to you."))
register(network_sessions.CalendarFeed, _("Your private calendar feed (its secret is left out)."))
register(placements.HostingOffer, _("Hosting offers you answered or mentor in."))
register(placements.PlacementRequest, _("Your placement preferences."))
register(placements.Placement, _("Placements you take part in or handled."))
register(placements.PlacementMail, _("Placement mails sent to you."))
register(internships.LogEntry, _("Internship hours you confirmed."))
register(internships.Evaluation, _("Internship evaluations you wrote."))
register(internships.EvaluationResponse, _("Your responses to internship evaluations."))
register(internships.MentorTraining, _("Mentor trainings you followed or recorded."))
register(internships.InternshipMail, _("Internship mails sent to you."))
register(induction.MentorAssignment, _("Mentor assignments you hold or made."))
register(induction.CheckIn, _("Induction check-ins you recorded."))
register(induction.CheckInReminder, _("Check-in reminders sent to you."))
register(vacancies.Vacancy, _("Vacancies you posted."))
register(retention.StaffConfirmation, _("Staff confirmations you made."))
register(retention.StaffConfirmationEntry, _("What your school confirmed about your teaching."))
register(retention.ConfirmationReminder, _("Confirmation reminders sent to you."))
register(reviews.CriterionScore, _("Self-assessment scores you set."))
register(reviews.SchoolNeeds, _("Support needs you filled in for your school."))
register(monitoring.Round, _("Questionnaire rounds you opened."))
register(
    monitoring.Invitation,
    _("Questionnaire invitations sent to you (answers are anonymous and not linked to you)."),
)
register(notifications.Notification, _("Notifications sent to you, or about something you did."))
register(notifications.Preference, _("How you want to hear about each kind of notification."))
register(notifications.DigestMail, _("The daily and weekly digests mailed to you."))
register(inspiration.KnowledgeInjection, _("Studies, sessions and links you sent to a team."))
register(questionnaires.Questionnaire, _("Questionnaires you created or confirmed consent for."))
register(
    questionnaires.ResultsSnapshot,
    _("Questionnaire results you attached to a log entry or a study draft."),
)
register(questionnaires.SnapshotQuote, _("Open answers you approved for a public study."))
register(
    questionnaires.RetentionNotice, _("Notices about deleting questionnaire answers sent to you.")
)
register(privacy.DataExport, _("Your earlier data exports."), exclude=frozenset({"file"}))
register(privacy.ExportMail, _("Mails about your data exports."))
register(privacy.ErasureRequest, _("Your erasure requests."))
register(privacy.TeamFilesNotice, _("Notices about deleting your team's files sent to you."))
register(privacy.AccessRecord, _("Private files and exports you downloaded."))
register(
    privacy.TeamPseudonym,
    _("Stand-ins of erased people."),
    not_about_the_person=_("points to a stand-in account that holds nobody's data"),
)
