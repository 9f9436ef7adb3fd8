"""PPT applications at each stage, made through the services (for the matrix and the walks)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from skills import rules
from skills.models import PptApplication
from skills.services import ppt as services
from skills.services.verification import intake_verify

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence_file(name="bukti.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def draft(sw, *, id_number="850315105123", name="Rahim bin Osman", files=True):
    """Centre A's draft application for the whole standard, with a file per CU."""
    application = services.ppt_apply(
        centre=sw.centre_a, accreditation=sw.accreditation_a, id_number=id_number, name=name,
        mode=rules.FULL, unit_ids=(), channel="agency", agency="Agensi Pekerjaan Maju",
        experience="Juruteknik 10 tahun.", years=10, by=sw.users["centre_admin_a"],
        today=sw.today,
    )  # fmt: skip
    if files:
        for unit in sw.units:
            services.evidence_add(application=application, unit_id=unit.pk,
                                  upload=evidence_file(), description="Surat majikan",
                                  by=sw.users["centre_admin_a"])  # fmt: skip
    return application


def submitted(sw, **kwargs):
    application = draft(sw, **kwargs)
    return services.ppt_submit(application=application, by=sw.users["centre_admin_a"],
                               today=sw.today)  # fmt: skip


def judged(sw, *, send=True, **kwargs):
    application = submitted(sw, **kwargs)
    services.ppt_judge(
        application=application,
        judgements=[services.Judgement(u.pk, rules.COMPETENT, "practical",
                                       "Memasang rangkaian di hadapan PP.", sw.today)
                    for u in sw.units],
        by=sw.users["assessor_ab"], today=sw.today, send=send,
    )  # fmt: skip
    return PptApplication.objects.get(pk=application.pk)


def verified(sw, **kwargs):
    application = judged(sw, **kwargs)
    intake = application.intake
    intake.verifier = sw.users["verifier"]
    intake.save(update_fields=["verifier"])
    intake_verify(intake=intake, verifier=sw.users["verifier"], whole_intake=True, sample_ids=(),
                  findings="Lengkap", decision=rules.APPROVED, comments="")  # fmt: skip
    return PptApplication.objects.get(pk=application.pk)
