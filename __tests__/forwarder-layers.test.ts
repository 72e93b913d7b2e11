import schema from '../config/schema.json';
import { FORWARDER_RUNTIMES, layerRuntime, NEWEST_LAYER, PYTHON_RUNTIMES, RUNTIMES_CHECKED_ON } from '../config/forwarder-layers';

describe('the Datadog-Forwarder layer table', () => {
  // Anchors from sources other than the template history the table was built from.
  test('runs layer 48 on python3.11, the runtime it failed without (datadog-serverless-functions#773)', () => {
    expect(layerRuntime(48)?.runtime).toBe('python3.11');
  });

  test("agrees with Datadog's Terraform module at its boundary: python3.13 up to layer 93, python3.14 from 94", () => {
    expect([93, 94].map((layer) => layerRuntime(layer)?.runtime)).toEqual(['python3.13', 'python3.14']);
  });

  test('knows a runtime for every layer the template carried up to 110, and none for the three it skipped', () => {
    const unknown = Array.from({ length: 110 }, (_, i) => i + 1).filter((layer) => layerRuntime(layer) === undefined);

    expect(unknown).toEqual([58, 100, 107]);
  });

  test('knows no layer after 110, the newest it was built from (forwarder 5.4.11)', () => {
    expect([NEWEST_LAYER, layerRuntime(111)]).toEqual([110, undefined]);
  });

  test('defaults to the newest layer, and lets the config choose no newer one', () => {
    const { maximum, default: defaultLayer } = schema.definitions.forwarder.properties.layerVersion;

    expect([maximum, defaultLayer]).toEqual([NEWEST_LAYER, NEWEST_LAYER]);
  });
});

describe('the runtimes the config accepts', () => {
  test("are exactly the Python runtimes Lambda had not deprecated when its table was checked", () => {
    const supported = Object.entries(PYTHON_RUNTIMES).filter(([, { deprecated }]) => deprecated > RUNTIMES_CHECKED_ON).map(([runtime]) => runtime);

    expect([...FORWARDER_RUNTIMES]).toEqual(supported);
  });

  test('include python3.14, which the default layer runs on', () => {
    expect(FORWARDER_RUNTIMES).toContain(layerRuntime(NEWEST_LAYER)?.runtime);
  });
});
