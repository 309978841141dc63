import {
  CreateDistributionCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand,
  type CloudFrontClient,
  type Origin,
} from '@aws-sdk/client-cloudfront';

let references = 0;

/** A distribution whose origins default to `domain` (a custom origin: the website endpoint). */
export async function createTestDistribution(
  client: CloudFrontClient,
  domain: string,
  origins: Partial<Origin>[],
  targetOriginId = origins[0]?.Id ?? 'origin',
): Promise<string> {
  const out = await client.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `test-${++references}-${Date.now()}`,
        Comment: '',
        Enabled: true,
        Origins: {
          Quantity: origins.length,
          Items: origins.map((origin) => ({
            Id: 'origin',
            DomainName: domain,
            OriginPath: '',
            CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' },
            ...origin,
          })),
        },
        DefaultCacheBehavior: {
          TargetOriginId: targetOriginId,
          ViewerProtocolPolicy: 'allow-all',
          // AWS's managed CachingOptimized policy.
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        },
      },
    }),
  );
  return out.Distribution?.Id as string;
}

/** The paths of every invalidation the emulator holds for a distribution, each batch sorted. */
export async function invalidationPaths(client: CloudFrontClient, distributionId: string): Promise<string[][]> {
  const list = await client.send(new ListInvalidationsCommand({ DistributionId: distributionId }));
  const ids = (list.InvalidationList?.Items ?? []).map((item) => item.Id as string);
  const batches = [];
  for (const Id of ids) {
    const got = await client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id }));
    batches.push([...(got.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort());
  }
  return batches;
}
