import { layerRuntime } from '../config/forwarder-layers';

describe('the Datadog-Forwarder layer table', () => {
  // Anchors from sources other than the template history the table was built from.
  test('runs layer 48 on python3.11, the runtime it failed without (datadog-serverless-functions#773)', () => {
    expect(layerRuntime(48)?.runtime).toBe('python3.11');
  });

  test("agrees with Datadog's Terraform module at its boundary: python3.13 up to layer 93, python3.14 from 94", () => {
    expect([93, 94].map((layer) => layerRuntime(layer)?.runtime)).toEqual(['python3.13', 'python3.14']);
  });

  test('knows a runtime for every released layer up to 110, and none for the two the releases skipped', () => {
    const unknown = Array.from({ length: 110 }, (_, i) => i + 1).filter((layer) => layerRuntime(layer) === undefined);

    expect(unknown).toEqual([58, 100]);
  });

  test('knows no layer after 110, the newest it was built from', () => {
    expect(layerRuntime(111)).toBeUndefined();
  });
});
