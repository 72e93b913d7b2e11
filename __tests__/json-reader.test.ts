/**
 * The one JSON reader: JSON.parse's result, but a key given twice in one object, which
 * JSON.parse would silently resolve to the last and Terraform reads both of, is refused. That
 * the offline Terraform harness refuses such a stack is in __tests__/processes/json-reader.test.ts.
 */
import { duplicateKeys, DuplicateKeyError, parseJson } from '../config/json';

describe('parseJson', () => {
  test('reads JSON as JSON.parse does', () => {
    const text = '{"a": [1, {"b": "c"}], "d": null, "e": "\\u0041"}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  test("throws JSON.parse's SyntaxError on text that is not JSON", () => {
    expect(() => parseJson('{"a": 1,}')).toThrow(SyntaxError);
  });

  test('refuses a key given twice, naming its path and the line of the repetition', () => {
    expect(() => parseJson('{\n  "resource": {},\n  "resource": {}\n}')).toThrow(
      new DuplicateKeyError([{ path: ['resource'], line: 3 }]),
    );
    expect(() => parseJson('{"resource": {}, "resource": {}}')).toThrow('resource is given twice in one object (again at line 1): JSON.parse would keep only the last, Terraform reads both');
  });
});

describe('duplicateKeys', () => {
  test.each([
    ['the same key in different objects', '{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}'],
    ['a repeated key inside a string value', '{"policy": "{\\"Statement\\": 1, \\"Statement\\": 2}"}'],
    ['a key ending in an escaped backslash', '{"a\\\\": 1, "a": 2}'],
    ['equal strings that are values, not keys', '{"a": "x", "b": "x", "c": ["x", "x"]}'],
  ])('finds nothing in %s', (_case, text) => {
    expect(duplicateKeys(text)).toEqual([]);
  });

  test.each([
    ['an object in an array', '{"a": [0, {"x": 1, "x": 2}]}', ['a', 1, 'x']],
    ['a key written with an escape', '{"a": 1, "\\u0061": 2}', ['a']],
    ['the twentieth key of a large object', `{${Array.from({ length: 19 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "k3": 0}`, ['k3']],
    ['the top level of a nested document', '[{"a": {"b": {"c": 1, "c": 1}}}]', [0, 'a', 'b', 'c']],
  ])('finds the repetition in %s, with its path', (_case, text, path) => {
    expect(duplicateKeys(text).map((d) => d.path)).toEqual([path]);
  });
});
