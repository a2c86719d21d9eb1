// `npm start` until the playground lands: say so plainly instead of failing.
console.log('ONCRIX playground: coming with the playground issue (apps/playground).');
console.log('Today: `npm test` builds kernel.wasm and runs every test.');
