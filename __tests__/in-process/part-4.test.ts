/** Part 4 of the in-process specification: see __tests__/support/in-process-parts.ts. */
import { loadPart } from '../support/in-process-parts';

loadPart(4);
