import { parseOrganizationReportLocation, type OrganizationReportLocation } from './organization-report';
import { parseRemediationRun, type RemediationRun } from './organization-remediation';
import { parseVisualReportLocation, type VisualReportLocation } from './render-event';
import { parseStepFailure, type StepFailure } from './step-failure';

/**
 * What the organisation email step reads of its input: where the organisation report is, the
 * visual report (or that render failed), and with remediation where the run's plan and the
 * members' results are (or how the remediation failed). Each part checked before it is used.
 */
export interface NotifyOrganizationInput {
  readonly report: OrganizationReportLocation;
  readonly visualReport?: VisualReportLocation;
  /** The render step ran and failed: the email says the visual report is missing. */
  readonly visualReportFailed?: boolean;
  /** Present when the plan step ran: the plan, and the remediation map's manifest when it ran. */
  readonly remediation?: RemediationRun & { readonly manifest: { bucket: string; key: string } | null };
  /** Present when the plan step or the remediation map failed (the state machine's Catch). */
  readonly remediationFailure?: StepFailure;
}

export function parseNotifyOrganizationEvent(event: unknown): NotifyOrganizationInput {
  const step = 'notifyOrganization';
  const report = parseOrganizationReportLocation(event, step);
  const { remediation, remediationError, renderError } = event as {
    remediation?: unknown;
    remediationError?: unknown;
    renderError?: unknown;
  };
  const visualReport = parseVisualReportLocation(event, report, step);
  return {
    report,
    ...(visualReport === undefined ? {} : { visualReport }),
    ...(renderError === undefined ? {} : { visualReportFailed: true }),
    ...(remediation === undefined ? {} : { remediation: parseRemediationRun(remediation, step) }),
    ...(remediationError === undefined
      ? {}
      : { remediationFailure: parseStepFailure(remediationError, step, 'remediationError') }),
  };
}
