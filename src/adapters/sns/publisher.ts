import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AwsWriteError, describeAwsError } from '../../lib/errors';

export interface SnsPublisherOptions {
  readonly topicArn: string;
  readonly client?: SNSClient;
}

/** One message to the operators' topic (email subscribers get Subject as the mail subject). */
export class SnsPublisher {
  private readonly topicArn: string;
  private readonly client: SNSClient;

  constructor({ topicArn, client = new SNSClient({}) }: SnsPublisherOptions) {
    this.topicArn = topicArn;
    this.client = client;
  }

  async publish(message: { subject: string; body: string }): Promise<string | undefined> {
    try {
      const { MessageId } = await this.client.send(
        new PublishCommand({ TopicArn: this.topicArn, Subject: message.subject, Message: message.body }),
      );
      return MessageId;
    } catch (error) {
      throw new AwsWriteError(`publishing to ${this.topicArn} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }
}
