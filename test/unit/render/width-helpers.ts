import { displayWidth, plain } from '../../../src/render/text/layout.js';

export const WIDTHS = [80, 100, 200] as const;

/** The widest line of a rendered view (display width, colour codes stripped). */
export function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => displayWidth(plain(l))));
}

/** Lines of a view, colour codes stripped. */
export function lines(text: string): string[] {
  return plain(text).split('\n');
}

/** A long key that differs from its siblings only at the end. */
export const longKey = (i: number) => `checkoutservice-production-eu-west-1, hipstershop.CheckoutService/PlaceOrder/variant-${String(i).padStart(2, '0')}`;
