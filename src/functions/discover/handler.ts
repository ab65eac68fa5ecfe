import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  OrganizationsAccountDirectory,
  createOrganizationsClient,
} from '../../adapters/organizations/account-directory';
import { S3Objects } from '../../adapters/s3/objects';
import { parseDiscoverEvent, type DiscoveryResult } from '../../contracts/discovery';
import { discoverAccounts } from '../../domain/organization/discover-accounts';
import { runKeys } from '../../domain/report/object-keys';
import { InvalidConfigError } from '../../lib/errors';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { settingFrom, ssmSettings } from '../../lib/ssm-settings';
import { readDiscoverConfig } from './config';

export interface DiscoverDependencies {
  readonly organizations: OrganizationsClient;
  readonly s3: S3Client;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The first step of an organisation run: lists the organisation's accounts (all of them, or those
 * under the included OUs), keeps the active ones that are not excluded, and writes the list to S3
 * for the map to read; returns where it is, with the run's name, instant and threshold.
 */
export function createDiscoverHandler(deps: DiscoverDependencies) {
  return middy<unknown, DiscoveryResult, Error, Context>()
    .use(lambdaLogging('discover'))
    .use(
      ssmSettings({ thresholdDays: deps.env.THRESHOLD_DAYS_PARAMETER }, { cacheKey: 'stale-iam-discover' }),
    )
    .handler(async (event, context) => {
      const config = readDiscoverConfig(settingFrom(context, 'thresholdDays'), deps.env);
      const { executionName, startTime } = parseDiscoverEvent(event);
      const { selected, skipped, listed, unknownExclusions } = await discoverAccounts(
        new OrganizationsAccountDirectory(deps.organizations),
        config,
      );
      if (selected.length === 0) {
        // A run that scans nothing is a misconfiguration, not an all-clear: the failure alert says so.
        throw new InvalidConfigError(
          `no account to scan: of ${listed} account(s) listed, none is active and not excluded ` +
            `(includeOrganizationalUnits ${JSON.stringify(config.includeOrganizationalUnits)}, excludeAccounts ${JSON.stringify(config.excludeAccounts)})`,
        );
      }
      if (unknownExclusions.length > 0) {
        logger.warn('excluded accounts not listed in the organization', { accounts: unknownExclusions });
      }
      const keys = runKeys(executionName);
      const objects = new S3Objects(config.reportBucket, deps.s3);
      await objects.writeJson(keys.accountsKey, selected);
      await objects.writeJson(keys.skippedKey, skipped);
      logger.info('accounts discovered', {
        listed,
        selected: selected.length,
        skipped: skipped.length,
      });
      return {
        run: {
          name: executionName,
          evaluatedAt: startTime.toISOString(),
          thresholdDays: config.thresholdDays,
        },
        accounts: { bucket: config.reportBucket, key: keys.accountsKey, count: selected.length },
        skipped: { key: keys.skippedKey, count: skipped.length },
      };
    });
}

export const handler = createDiscoverHandler({
  organizations: createOrganizationsClient(),
  s3: new S3Client({}),
  env: process.env,
});
