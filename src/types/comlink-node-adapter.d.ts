// comlink ships this adapter's types beside the file under a name TypeScript does not pair with `.mjs`.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
