import { ensureStack } from './stack.js';

export default function setup(): void {
  ensureStack();
}
