"""The model registry: numbered versions of each capability's model, one of them active."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from .models import Capability, ModelVersion


def model_version_activate(*, model_version: ModelVersion) -> ModelVersion:
    """Makes this version the active one of its capability (and the others inactive)."""
    with transaction.atomic():
        ModelVersion.objects.filter(capability=model_version.capability, is_active=True).exclude(
            pk=model_version.pk
        ).update(is_active=False)
        model_version.is_active = True
        model_version.full_clean()
        model_version.save(update_fields=["is_active"])
    return model_version


def model_version_register(
    *,
    capability: str,
    parameters: dict | None = None,
    metrics: dict | None = None,
    artifact_path: str = "",
    activate: bool = True,
) -> ModelVersion:
    """Records a new version (numbered after the last one of the capability)."""
    if capability not in Capability.values:
        raise ValueError(f"Unknown capability {capability!r}")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = ModelVersion.objects.filter(capability=capability).aggregate(
                    last=Max("version")
                )["last"]
                model_version = ModelVersion(
                    capability=capability,
                    version=(last or 0) + 1,
                    parameters=parameters or {},
                    metrics=metrics or {},
                    artifact_path=artifact_path,
                )
                # The database checks the numbering: a race ends in IntegrityError, retried.
                model_version.full_clean(validate_unique=False, validate_constraints=False)
                model_version.save()
                if activate:
                    model_version_activate(model_version=model_version)
                return model_version
        except IntegrityError:
            continue  # another process took this number: take the next
    raise RuntimeError(f"Could not number a new {capability} model version")


def model_version_active(*, capability: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(capability=capability, is_active=True).first()
