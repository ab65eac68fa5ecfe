import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, paginateListTopics, SNSClient } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  lambdaFunction,
  logicalIdsOfType,
  properties,
  substitute,
  type CfnReference,
  type CfnTemplate,
  type ReferenceLookup,
} from '../template';

/**
 * What the compiled template's references stand for on a local endpoint, and `--setup`, which
 * creates there what the template declares for the run: its buckets (with versioning when the
 * template enables it), topics and SSM parameters. Everything is read from the template; the only
 * local choices are the names CloudFormation would otherwise generate.
 */

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A name or value the user set in their environment wins over the template's, as for a function's own variables. */
export type UserEnvironment = Readonly<Record<string, string | undefined>>;

export interface LocalStack {
  readonly template: CfnTemplate;
  readonly region: string;
  readonly accountId: string;
  /** `<service>-<stage>`, the stack name osls deploys to. */
  readonly stackName: string;
  /** Local name of each bucket, ARN of each topic, by logical id. */
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly topicArns: Readonly<Record<string, string>>;
  readonly lookup: ReferenceLookup;
}

const ignore = (error: unknown, ...names: string[]) => error instanceof Error && names.includes(error.name);

/** The bucket the functions' code is uploaded to at deploy time (`Code.S3Bucket`): not part of a run. */
function deploymentBuckets(template: CfnTemplate): Set<string> {
  const ids = new Set<string>();
  for (const id of logicalIdsOfType(template, 'AWS::Lambda::Function')) {
    const bucket = lambdaFunction(template, id).Code?.S3Bucket as { Ref?: unknown } | undefined;
    if (typeof bucket?.Ref === 'string') ids.add(bucket.Ref);
  }
  return ids;
}

/** The buckets of the run: every AWS::S3::Bucket but the deployment bucket. */
export function runBuckets(template: CfnTemplate): string[] {
  const deployment = deploymentBuckets(template);
  return logicalIdsOfType(template, 'AWS::S3::Bucket').filter((id) => !deployment.has(id));
}

/**
 * The functions' environment variables whose template value is `{ Ref: <logicalId> }` (REPORT_BUCKET,
 * TOPIC_ARN) or exactly a parameter's name (THRESHOLD_DAYS_PARAMETER): the names a user can set.
 */
function variablesNaming(template: CfnTemplate, matches: (value: unknown) => boolean): string[] {
  const names = new Set<string>();
  for (const id of logicalIdsOfType(template, 'AWS::Lambda::Function')) {
    for (const [name, value] of Object.entries(lambdaFunction(template, id).Environment?.Variables ?? {})) {
      if (matches(value)) names.add(name);
    }
  }
  return [...names].sort();
}

function userValue(template: CfnTemplate, userEnv: UserEnvironment, matches: (value: unknown) => boolean) {
  for (const name of variablesNaming(template, matches)) {
    const value = userEnv[name];
    if (value) return { variable: name, value };
  }
  return undefined;
}

const refersTo = (logicalId: string) => (value: unknown) =>
  typeof value === 'object' && value !== null && (value as { Ref?: unknown }).Ref === logicalId;

/**
 * A bucket's local name: a variable that carries it to the functions (REPORT_BUCKET) if the user set
 * it, else its BucketName, else what CloudFormation would name it without the random suffix:
 * `<stack>-<logical id in lower case>`.
 */
export function localBucketName(
  template: CfnTemplate,
  logicalId: string,
  stackName: string,
  userEnv: UserEnvironment,
): string {
  const fromUser = userValue(template, userEnv, refersTo(logicalId));
  if (fromUser) return fromUser.value;
  const bucketName = properties<{ BucketName?: unknown }>(template, logicalId).BucketName;
  if (typeof bucketName === 'string') return bucketName;
  return `${stackName}-${logicalId.toLowerCase()}`;
}

export function topicName(template: CfnTemplate, logicalId: string): string {
  const name = properties<{ TopicName?: unknown }>(template, logicalId).TopicName;
  if (typeof name !== 'string')
    throw new UsageError(`the topic ${logicalId} has no TopicName in the template`);
  return name;
}

interface StackNames {
  readonly template: CfnTemplate;
  readonly region: string;
  readonly stackName: string;
  readonly userEnv: UserEnvironment;
}

/** `--setup`: creates the run's buckets, topics and parameters (idempotent). Returns the topics' ARNs. */
export async function setUp(names: StackNames, log: (line: string) => void): Promise<Record<string, string>> {
  const { template, region, stackName, userEnv } = names;
  const s3 = new S3Client({});
  for (const id of runBuckets(template)) {
    const bucket = localBucketName(template, id, stackName, userEnv);
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
        }),
      );
      log(`setup: created bucket ${bucket} (${id})`);
    } catch (error) {
      if (!ignore(error, 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists')) throw error;
      log(`setup: bucket ${bucket} exists`);
    }
    const versioning = properties<{ VersioningConfiguration?: { Status?: unknown } }>(
      template,
      id,
    ).VersioningConfiguration;
    if (versioning?.Status === 'Enabled') {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      log(`setup: versioning enabled on ${bucket}`);
    }
  }

  const sns = new SNSClient({});
  const topicArns: Record<string, string> = {};
  for (const id of logicalIdsOfType(template, 'AWS::SNS::Topic')) {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName(template, id) }));
    if (!TopicArn) throw new Error(`CreateTopic returned no ARN for ${id}`);
    topicArns[id] = TopicArn;
    log(`setup: topic ${TopicArn}`);
  }

  const ssm = new SSMClient({});
  for (const id of logicalIdsOfType(template, 'AWS::SSM::Parameter')) {
    const parameter = properties<{ Name?: unknown; Value?: unknown; Type?: unknown }>(template, id);
    if (typeof parameter.Name !== 'string' || typeof parameter.Value !== 'string') {
      throw new UsageError(`the parameter ${id} has no plain Name and Value in the template`);
    }
    const templateName = parameter.Name;
    // The variable that hands the name to the functions (THRESHOLD_DAYS_PARAMETER) may rename it;
    // the same variable without `_PARAMETER` (THRESHOLD_DAYS) gives it a value.
    const nameVariable = variablesNaming(template, (value) => value === templateName)[0];
    const name = (nameVariable && userEnv[nameVariable]) || templateName;
    const valueVariable = nameVariable?.replace(/_PARAMETER$/, '');
    const override = valueVariable && valueVariable !== nameVariable ? userEnv[valueVariable] : undefined;
    const value = override ?? parameter.Value;
    try {
      await ssm.send(
        new PutParameterCommand({
          Name: name,
          Value: value,
          Type: parameter.Type === 'StringList' ? 'StringList' : 'String',
          Overwrite: override !== undefined,
        }),
      );
      log(`setup: parameter ${name} = ${JSON.stringify(value)}`);
    } catch (error) {
      if (!ignore(error, 'ParameterAlreadyExists')) throw error;
      log(
        `setup: parameter ${name} exists, value kept (set ${valueVariable ?? 'its value variable'} to overwrite)`,
      );
    }
  }
  return topicArns;
}

/** Without --setup: each topic's ARN from the user (TOPIC_ARN) or found by name with ListTopics. */
export async function findTopics(names: StackNames): Promise<Record<string, string>> {
  const { template, userEnv } = names;
  const found: Record<string, string> = {};
  for (const id of logicalIdsOfType(template, 'AWS::SNS::Topic')) {
    const fromUser = userValue(template, userEnv, refersTo(id));
    if (fromUser) {
      found[id] = fromUser.value;
      continue;
    }
    const name = topicName(template, id);
    for await (const page of paginateListTopics({ client: new SNSClient({}) }, {})) {
      const match = (page.Topics ?? []).find((t) => t.TopicArn?.endsWith(`:${name}`));
      if (match?.TopicArn) found[id] = match.TopicArn;
    }
    if (!found[id]) {
      throw new UsageError(
        `the endpoint has no topic named ${name}: run with --setup, or set ${variablesNaming(template, refersTo(id))[0] ?? 'its ARN'}`,
      );
    }
  }
  return found;
}

/**
 * The references of the template, mapped to this endpoint: buckets to their local names, topics to
 * their ARNs, parameters to their names, functions to `arn:aws:lambda:<region>:<account>:function:<name>`,
 * pseudo parameters to the local region and account. Anything else is refused by name.
 */
export function localStack(
  names: StackNames & { readonly topicArns: Readonly<Record<string, string>>; readonly accountId: string },
): LocalStack {
  const { template, region, stackName, userEnv, topicArns, accountId } = names;
  const bucketNames = Object.fromEntries(
    runBuckets(template).map((id) => [id, localBucketName(template, id, stackName, userEnv)]),
  );
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
  };
  const lookup: ReferenceLookup = (reference: CfnReference): string => {
    const { logicalId, attribute } = reference;
    const fail = (): never => {
      throw new UsageError(
        `cannot map ${attribute ? `${logicalId}.${attribute}` : logicalId} to a local value`,
      );
    };
    if (logicalId in pseudo && attribute === undefined) return pseudo[logicalId] ?? fail();
    const resource = template.Resources[logicalId];
    if (!resource) return fail();
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const bucket = bucketNames[logicalId] ?? fail();
        if (attribute === undefined) return bucket;
        return attribute === 'Arn' ? `arn:aws:s3:::${bucket}` : fail();
      }
      case 'AWS::SNS::Topic':
        if (attribute === undefined) return topicArns[logicalId] ?? fail();
        return attribute === 'TopicName' ? topicName(template, logicalId) : fail();
      case 'AWS::SSM::Parameter': {
        const name = properties<{ Name?: unknown }>(template, logicalId).Name;
        return attribute === undefined && typeof name === 'string' ? name : fail();
      }
      case 'AWS::Lambda::Function': {
        const name = lambdaFunction(template, logicalId).FunctionName;
        if (attribute === undefined) return name;
        return attribute === 'Arn' ? `arn:aws:lambda:${region}:${accountId}:function:${name}` : fail();
      }
      default:
        return fail();
    }
  };
  return { template, region, accountId, stackName, bucketNames, topicArns, lookup };
}

/** A function's environment as deployed: the template's variables with references mapped locally. */
export function functionEnvironment(stack: LocalStack, logicalId: string): Record<string, string> {
  const variables = lambdaFunction(stack.template, logicalId).Environment?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, substitute(value, stack.lookup)]),
  );
}
