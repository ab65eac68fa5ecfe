/**
 * The Amazon States Language as the compiled template holds it (JSONPath query language). Fields are
 * optional and loosely typed on purpose: a definition is data read from a file, and the walker
 * checks each state's fields before it runs the state (an unknown field is refused, not ignored).
 */

export interface AslRetrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly [field: string]: unknown;
}

export interface AslCatcher {
  readonly ErrorEquals: string[];
  readonly ResultPath?: string | null;
  readonly Next: string;
  readonly [field: string]: unknown;
}

export interface AslState {
  readonly Type: string;
  readonly Comment?: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly ResultSelector?: Record<string, unknown>;
  readonly Result?: unknown;
  readonly TimeoutSeconds?: number;
  readonly Retry?: AslRetrier[];
  readonly Catch?: AslCatcher[];
  readonly Next?: string;
  readonly End?: boolean;
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  readonly Choices?: Array<Record<string, unknown>>;
  readonly Default?: string;
  readonly ItemReader?: Record<string, unknown>;
  readonly ItemSelector?: Record<string, unknown>;
  readonly ItemProcessor?: Record<string, unknown>;
  readonly ResultWriter?: Record<string, unknown>;
  readonly MaxConcurrency?: number;
  readonly ToleratedFailurePercentage?: number;
  readonly ToleratedFailureCount?: number;
  readonly Label?: string;
  readonly [field: string]: unknown;
}

export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly [field: string]: unknown;
}
