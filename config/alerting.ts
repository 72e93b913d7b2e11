/**
 * What the config leaves unwatched, said at synth: Datadog monitors on the forwarder's
 * failures need the AWS metrics Datadog collects only with `datadog.collectMetrics`
 * (the registration's `metrics_config`, stacks/datadog-registration.ts).
 */
import type { ResolvedConfig } from './resolve';

export function alertingWarnings(config: ResolvedConfig): string[] {
  const { datadog } = config;
  if (!datadog.monitor || datadog.collectMetrics) return [];
  return [
    'datadog.monitor is set without datadog.collectMetrics: Datadog collects no AWS metrics, so no Datadog monitor watches the forwarders\' errors, throttles and failure queues; the CloudWatch alarms (forwarder.alarms) still do, in AWS. Set datadog.collectMetrics to true to have both.',
  ];
}
