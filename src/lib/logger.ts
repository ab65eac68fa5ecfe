import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger of the Lambda functions: JSON lines with a static message and a data
 * object. Log level and service name come from POWERTOOLS_LOG_LEVEL / POWERTOOLS_SERVICE_NAME.
 * Never log credentials or report contents beyond counts and names.
 */
export const logger = new Logger({ serviceName: 'stale-iam' });
