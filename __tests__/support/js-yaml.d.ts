// js-yaml 3 (a devDependency) ships no type declarations. The tests use only load(), which
// parses one YAML document into plain values (https://github.com/nodeca/js-yaml/tree/3.x#load-string---options-).
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
