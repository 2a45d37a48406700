/** Messages and body bytes a receive or a browse may still take. */
export interface ReadBudget {
  count: number;
  bytes: number;
}
