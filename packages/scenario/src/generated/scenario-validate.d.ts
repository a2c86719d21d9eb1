// The type of the generated scenario validator (scenario-validate.js, written by `npm run gen`).
import type { ErrorObject } from 'ajv/dist/2020.js';

/** Ajv's standalone validator: true when the scenario passes, else `errors` says why. */
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
export { validate };
