import { parseConfig } from '../config/load';
import { capacityWarnings, forwarderLoads } from '../config/forwarder-capacity';
import { generateOrganization } from '../tools/generate-organization';
import { validConfig } from './support/configs';

const organization = (members: number, reservedConcurrency?: number) => {
  const config = generateOrganization(members);
  if (reservedConcurrency !== undefined) config.forwarder = { reservedConcurrency };
  return parseConfig(JSON.stringify(config), 'org.json');
};

describe('the forwarder capacity model', () => {
  test("counts one log file per account and default Region every 5 minutes, plus the hourly digest", () => {
    const [load] = forwarderLoads(parseConfig(JSON.stringify(validConfig()), 'one.json'));

    expect(load.filesPerSecond).toBeCloseTo((17 * 13) / 3600);
  });

  test("gives an organization's one forwarder the log files of every account", () => {
    const loads = forwarderLoads(organization(5000));

    expect(loads.map((load) => [load.account.name, load.accounts, load.concurrencyNeeded])).toEqual([['log-archive', 5002, 615]]);
  });

  test('says nothing when the reservation covers the peak', () => {
    expect(capacityWarnings(organization(200, 30))).toEqual([]);
  });

  test('warns, with the figure, when the reserved concurrency is below the peak need', () => {
    expect(capacityWarnings(organization(200, 10))).toEqual([
      expect.stringMatching(/^The forwarder of log-archive receives about 12\.4 log files a second from 202 account\(s\) and needs about 25 concurrent executions .*reserved concurrency is 10.*at least 25\.$/),
    ]);
  });

  test('warns when an unreserved forwarder would need more than the concurrency quota leaves', () => {
    expect(capacityWarnings(organization(200), 120)).toEqual([expect.stringContaining('more than a concurrency quota of 120 in us-east-1 leaves: request a higher concurrency quota there')]);
    expect(capacityWarnings(organization(200))).toEqual([]);
  });
});
