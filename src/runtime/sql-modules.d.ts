/** wrangler bundles *.sql as Text modules (its default module rules): the import is the file's text. */
declare module '*.sql' {
  const text: string;
  export default text;
}
