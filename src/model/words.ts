/** "1 file", "2 files", "1,234 files": words agree with numbers, thousands separated the same way everywhere. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${thousands(count)} ${count === 1 ? one : many}`;
}

export function thousands(value: number): string {
  return value.toLocaleString('en-US');
}
