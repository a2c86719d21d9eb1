// The type of the generated manifest validator (manifest-validate.js, written by `npm run gen`).
import type { ErrorObject } from 'ajv/dist/2020.js';

/** Ajv's standalone validator: true when the manifest passes (defaults filled in, in place), else `errors` says why. */
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
export { validate };
