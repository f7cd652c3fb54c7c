import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// The federal government's "Gráfica Base" palette: guinda as the main colour, gold as accent.
const guinda: MantineColorsTuple = [
  '#fcecf0',
  '#f3d3dc',
  '#e7a6b8',
  '#da7893',
  '#cf5273',
  '#c43a60',
  '#9f2241',
  '#861d37',
  '#691c32',
  '#4f1425',
];
const gold: MantineColorsTuple = [
  '#fbf6ee',
  '#f1e6d2',
  '#e6d4b3',
  '#ddc9a3',
  '#cfb07d',
  '#c6a167',
  '#bc955c',
  '#a07d4a',
  '#7d613a',
  '#5a4529',
];

export const theme = createTheme({
  primaryColor: 'guinda',
  primaryShade: 6,
  colors: { guinda, gold },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  headings: { fontWeight: '700' },
  defaultRadius: 'sm',
});

/** Mantine's dimmed grey (3.3:1) and error red (3.5:1) are below WCAG AA on white; these read at 8:1 and 5.9:1. */
export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057', '--mantine-color-error': '#c92a2a' },
  dark: {},
});
