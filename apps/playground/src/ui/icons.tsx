// Toolbar icons as inline SVG (fonts on many systems lack the media-control
// characters, which then show as empty boxes).

const P = { width: 12, height: 12, viewBox: '0 0 12 12', fill: 'currentColor', 'aria-hidden': true } as const;

export const IconRun = (): React.JSX.Element => <svg {...P}><path d="M2 1 L11 6 L2 11 Z" /></svg>;
export const IconPause = (): React.JSX.Element => <svg {...P}><rect x="2" y="1" width="3" height="10" /><rect x="7" y="1" width="3" height="10" /></svg>;
export const IconStep = (): React.JSX.Element => <svg {...P}><path d="M1 1 L8 6 L1 11 Z" /><rect x="9" y="1" width="2" height="10" /></svg>;
export const IconBack = (): React.JSX.Element => <svg {...P}><path d="M11 1 L4 6 L11 11 Z" /><rect x="1" y="1" width="2" height="10" /></svg>;
export const IconReset = (): React.JSX.Element => (
  <svg {...P} fill="none" stroke="currentColor" strokeWidth="1.6"><path d="M10 6 A4 4 0 1 1 8.5 2.9" /><path d="M8 0.8 L9.2 3.3 L6.6 3.9" /></svg>
);
export const IconBoot = (): React.JSX.Element => (
  <svg {...P} fill="none" stroke="currentColor" strokeWidth="1.4"><rect x="1.5" y="1.5" width="9" height="9" rx="1.5" /><path d="M3.5 4.5 L5.5 6 L3.5 7.5 M6.5 8 L8.5 8" /></svg>
);
