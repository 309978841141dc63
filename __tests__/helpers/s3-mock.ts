import { beforeEach } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

export interface MockedS3 {
  /** A real S3Client, whose commands the mock answers. */
  client: S3Client;
  mock: AwsClientStub<S3Client>;
}

/**
 * An S3Client answered by aws-sdk-client-mock, for what s3rver cannot show.
 * Before each test the mock is reset, so that anything the test did not
 * arrange fails loudly instead of answering undefined.
 */
export function useMockedS3(): MockedS3 {
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' } });
  const mock = mockClient(client);
  beforeEach(() => {
    mock.reset();
    mock.onAnyCommand().rejects(new Error('unexpected S3 command'));
  });
  return { client, mock };
}
