import type { Symmetry } from '../core/index.js';

/** The eight transformations of a rectangle's cells (the dihedral group D4); `transpose*` need a square. */
export type BoardTransform =
  | 'identity' | 'flip-horizontal' | 'flip-vertical' | 'rotate-180'
  | 'transpose' | 'anti-transpose' | 'rotate-90' | 'rotate-270';

export function transformCellMap(rows: number, cols: number, t: BoardTransform): Int32Array {
  const map = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let nr = r;
      let nc = c;
      switch (t) {
        case 'identity': break;
        case 'flip-horizontal': nc = cols - 1 - c; break;
        case 'flip-vertical': nr = rows - 1 - r; break;
        case 'rotate-180': nr = rows - 1 - r; nc = cols - 1 - c; break;
        case 'transpose': nr = c; nc = r; break;
        case 'anti-transpose': nr = cols - 1 - c; nc = rows - 1 - r; break;
        case 'rotate-90': nr = c; nc = rows - 1 - r; break;
        case 'rotate-270': nr = cols - 1 - c; nc = r; break;
      }
      map[r * cols + c] = nr * cols + nc;
    }
  }
  return map;
}

/**
 * Symmetries for games whose actions are exactly the cells (`place` plane) plus optional global
 * actions that map to themselves.
 */
export function cellGameSymmetries(rows: number, cols: number, transforms: readonly BoardTransform[], globals = 0): Symmetry[] {
  return transforms.map((name) => {
    const cellMap = transformCellMap(rows, cols, name);
    const actionMap = new Int32Array(rows * cols + globals);
    actionMap.set(cellMap);
    for (let g = 0; g < globals; g++) actionMap[rows * cols + g] = rows * cols + g;
    return { name, cellMap, actionMap };
  });
}

/** All non-identity symmetries of a rectangular board whose rules treat every direction alike. */
export function boardSymmetries(rows: number, cols: number, allowDiagonal: boolean, globals = 0): Symmetry[] {
  const transforms: BoardTransform[] = ['flip-horizontal', 'flip-vertical', 'rotate-180'];
  if (allowDiagonal && rows === cols) transforms.push('transpose', 'anti-transpose', 'rotate-90', 'rotate-270');
  return cellGameSymmetries(rows, cols, transforms, globals);
}
