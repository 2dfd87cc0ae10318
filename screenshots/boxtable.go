// Code generated from the Unicode names of U+2500–U+257F; DO NOT EDIT.

package main

// boxArmsOf gives, per box-drawing character, the weight of its arm up, right,
// down and left (0 none, 1 light, 2 heavy, 3 double) and whether its corner
// is rounded. Dashed lines are drawn solid. The diagonals are drawn apart.
func boxArmsOf(r rune) (box, bool) {
	switch r {
	case 0x2500: // ─ BOX DRAWINGS LIGHT HORIZONTAL
		return box{0, 1, 0, 1, false}, true
	case 0x2501: // ━ BOX DRAWINGS HEAVY HORIZONTAL
		return box{0, 2, 0, 2, false}, true
	case 0x2502: // │ BOX DRAWINGS LIGHT VERTICAL
		return box{1, 0, 1, 0, false}, true
	case 0x2503: // ┃ BOX DRAWINGS HEAVY VERTICAL
		return box{2, 0, 2, 0, false}, true
	case 0x2504: // ┄ BOX DRAWINGS LIGHT TRIPLE DASH HORIZONTAL
		return box{0, 1, 0, 1, false}, true
	case 0x2505: // ┅ BOX DRAWINGS HEAVY TRIPLE DASH HORIZONTAL
		return box{0, 2, 0, 2, false}, true
	case 0x2506: // ┆ BOX DRAWINGS LIGHT TRIPLE DASH VERTICAL
		return box{1, 0, 1, 0, false}, true
	case 0x2507: // ┇ BOX DRAWINGS HEAVY TRIPLE DASH VERTICAL
		return box{2, 0, 2, 0, false}, true
	case 0x2508: // ┈ BOX DRAWINGS LIGHT QUADRUPLE DASH HORIZONTAL
		return box{0, 1, 0, 1, false}, true
	case 0x2509: // ┉ BOX DRAWINGS HEAVY QUADRUPLE DASH HORIZONTAL
		return box{0, 2, 0, 2, false}, true
	case 0x250A: // ┊ BOX DRAWINGS LIGHT QUADRUPLE DASH VERTICAL
		return box{1, 0, 1, 0, false}, true
	case 0x250B: // ┋ BOX DRAWINGS HEAVY QUADRUPLE DASH VERTICAL
		return box{2, 0, 2, 0, false}, true
	case 0x250C: // ┌ BOX DRAWINGS LIGHT DOWN AND RIGHT
		return box{0, 1, 1, 0, false}, true
	case 0x250D: // ┍ BOX DRAWINGS DOWN LIGHT AND RIGHT HEAVY
		return box{0, 2, 1, 0, false}, true
	case 0x250E: // ┎ BOX DRAWINGS DOWN HEAVY AND RIGHT LIGHT
		return box{0, 1, 2, 0, false}, true
	case 0x250F: // ┏ BOX DRAWINGS HEAVY DOWN AND RIGHT
		return box{0, 2, 2, 0, false}, true
	case 0x2510: // ┐ BOX DRAWINGS LIGHT DOWN AND LEFT
		return box{0, 0, 1, 1, false}, true
	case 0x2511: // ┑ BOX DRAWINGS DOWN LIGHT AND LEFT HEAVY
		return box{0, 0, 1, 2, false}, true
	case 0x2512: // ┒ BOX DRAWINGS DOWN HEAVY AND LEFT LIGHT
		return box{0, 0, 2, 1, false}, true
	case 0x2513: // ┓ BOX DRAWINGS HEAVY DOWN AND LEFT
		return box{0, 0, 2, 2, false}, true
	case 0x2514: // └ BOX DRAWINGS LIGHT UP AND RIGHT
		return box{1, 1, 0, 0, false}, true
	case 0x2515: // ┕ BOX DRAWINGS UP LIGHT AND RIGHT HEAVY
		return box{1, 2, 0, 0, false}, true
	case 0x2516: // ┖ BOX DRAWINGS UP HEAVY AND RIGHT LIGHT
		return box{2, 1, 0, 0, false}, true
	case 0x2517: // ┗ BOX DRAWINGS HEAVY UP AND RIGHT
		return box{2, 2, 0, 0, false}, true
	case 0x2518: // ┘ BOX DRAWINGS LIGHT UP AND LEFT
		return box{1, 0, 0, 1, false}, true
	case 0x2519: // ┙ BOX DRAWINGS UP LIGHT AND LEFT HEAVY
		return box{1, 0, 0, 2, false}, true
	case 0x251A: // ┚ BOX DRAWINGS UP HEAVY AND LEFT LIGHT
		return box{2, 0, 0, 1, false}, true
	case 0x251B: // ┛ BOX DRAWINGS HEAVY UP AND LEFT
		return box{2, 0, 0, 2, false}, true
	case 0x251C: // ├ BOX DRAWINGS LIGHT VERTICAL AND RIGHT
		return box{1, 1, 1, 0, false}, true
	case 0x251D: // ┝ BOX DRAWINGS VERTICAL LIGHT AND RIGHT HEAVY
		return box{1, 2, 1, 0, false}, true
	case 0x251E: // ┞ BOX DRAWINGS UP HEAVY AND RIGHT DOWN LIGHT
		return box{2, 1, 1, 0, false}, true
	case 0x251F: // ┟ BOX DRAWINGS DOWN HEAVY AND RIGHT UP LIGHT
		return box{1, 1, 2, 0, false}, true
	case 0x2520: // ┠ BOX DRAWINGS VERTICAL HEAVY AND RIGHT LIGHT
		return box{2, 1, 2, 0, false}, true
	case 0x2521: // ┡ BOX DRAWINGS DOWN LIGHT AND RIGHT UP HEAVY
		return box{2, 2, 1, 0, false}, true
	case 0x2522: // ┢ BOX DRAWINGS UP LIGHT AND RIGHT DOWN HEAVY
		return box{1, 2, 2, 0, false}, true
	case 0x2523: // ┣ BOX DRAWINGS HEAVY VERTICAL AND RIGHT
		return box{2, 2, 2, 0, false}, true
	case 0x2524: // ┤ BOX DRAWINGS LIGHT VERTICAL AND LEFT
		return box{1, 0, 1, 1, false}, true
	case 0x2525: // ┥ BOX DRAWINGS VERTICAL LIGHT AND LEFT HEAVY
		return box{1, 0, 1, 2, false}, true
	case 0x2526: // ┦ BOX DRAWINGS UP HEAVY AND LEFT DOWN LIGHT
		return box{2, 0, 1, 1, false}, true
	case 0x2527: // ┧ BOX DRAWINGS DOWN HEAVY AND LEFT UP LIGHT
		return box{1, 0, 2, 1, false}, true
	case 0x2528: // ┨ BOX DRAWINGS VERTICAL HEAVY AND LEFT LIGHT
		return box{2, 0, 2, 1, false}, true
	case 0x2529: // ┩ BOX DRAWINGS DOWN LIGHT AND LEFT UP HEAVY
		return box{2, 0, 1, 2, false}, true
	case 0x252A: // ┪ BOX DRAWINGS UP LIGHT AND LEFT DOWN HEAVY
		return box{1, 0, 2, 2, false}, true
	case 0x252B: // ┫ BOX DRAWINGS HEAVY VERTICAL AND LEFT
		return box{2, 0, 2, 2, false}, true
	case 0x252C: // ┬ BOX DRAWINGS LIGHT DOWN AND HORIZONTAL
		return box{0, 1, 1, 1, false}, true
	case 0x252D: // ┭ BOX DRAWINGS LEFT HEAVY AND RIGHT DOWN LIGHT
		return box{0, 1, 1, 2, false}, true
	case 0x252E: // ┮ BOX DRAWINGS RIGHT HEAVY AND LEFT DOWN LIGHT
		return box{0, 2, 1, 1, false}, true
	case 0x252F: // ┯ BOX DRAWINGS DOWN LIGHT AND HORIZONTAL HEAVY
		return box{0, 2, 1, 2, false}, true
	case 0x2530: // ┰ BOX DRAWINGS DOWN HEAVY AND HORIZONTAL LIGHT
		return box{0, 1, 2, 1, false}, true
	case 0x2531: // ┱ BOX DRAWINGS RIGHT LIGHT AND LEFT DOWN HEAVY
		return box{0, 1, 2, 2, false}, true
	case 0x2532: // ┲ BOX DRAWINGS LEFT LIGHT AND RIGHT DOWN HEAVY
		return box{0, 2, 2, 1, false}, true
	case 0x2533: // ┳ BOX DRAWINGS HEAVY DOWN AND HORIZONTAL
		return box{0, 2, 2, 2, false}, true
	case 0x2534: // ┴ BOX DRAWINGS LIGHT UP AND HORIZONTAL
		return box{1, 1, 0, 1, false}, true
	case 0x2535: // ┵ BOX DRAWINGS LEFT HEAVY AND RIGHT UP LIGHT
		return box{1, 1, 0, 2, false}, true
	case 0x2536: // ┶ BOX DRAWINGS RIGHT HEAVY AND LEFT UP LIGHT
		return box{1, 2, 0, 1, false}, true
	case 0x2537: // ┷ BOX DRAWINGS UP LIGHT AND HORIZONTAL HEAVY
		return box{1, 2, 0, 2, false}, true
	case 0x2538: // ┸ BOX DRAWINGS UP HEAVY AND HORIZONTAL LIGHT
		return box{2, 1, 0, 1, false}, true
	case 0x2539: // ┹ BOX DRAWINGS RIGHT LIGHT AND LEFT UP HEAVY
		return box{2, 1, 0, 2, false}, true
	case 0x253A: // ┺ BOX DRAWINGS LEFT LIGHT AND RIGHT UP HEAVY
		return box{2, 2, 0, 1, false}, true
	case 0x253B: // ┻ BOX DRAWINGS HEAVY UP AND HORIZONTAL
		return box{2, 2, 0, 2, false}, true
	case 0x253C: // ┼ BOX DRAWINGS LIGHT VERTICAL AND HORIZONTAL
		return box{1, 1, 1, 1, false}, true
	case 0x253D: // ┽ BOX DRAWINGS LEFT HEAVY AND RIGHT VERTICAL LIGHT
		return box{1, 1, 1, 2, false}, true
	case 0x253E: // ┾ BOX DRAWINGS RIGHT HEAVY AND LEFT VERTICAL LIGHT
		return box{1, 2, 1, 1, false}, true
	case 0x253F: // ┿ BOX DRAWINGS VERTICAL LIGHT AND HORIZONTAL HEAVY
		return box{1, 2, 1, 2, false}, true
	case 0x2540: // ╀ BOX DRAWINGS UP HEAVY AND DOWN HORIZONTAL LIGHT
		return box{2, 1, 1, 1, false}, true
	case 0x2541: // ╁ BOX DRAWINGS DOWN HEAVY AND UP HORIZONTAL LIGHT
		return box{1, 1, 2, 1, false}, true
	case 0x2542: // ╂ BOX DRAWINGS VERTICAL HEAVY AND HORIZONTAL LIGHT
		return box{2, 1, 2, 1, false}, true
	case 0x2543: // ╃ BOX DRAWINGS LEFT UP HEAVY AND RIGHT DOWN LIGHT
		return box{2, 1, 1, 2, false}, true
	case 0x2544: // ╄ BOX DRAWINGS RIGHT UP HEAVY AND LEFT DOWN LIGHT
		return box{2, 2, 1, 1, false}, true
	case 0x2545: // ╅ BOX DRAWINGS LEFT DOWN HEAVY AND RIGHT UP LIGHT
		return box{1, 1, 2, 2, false}, true
	case 0x2546: // ╆ BOX DRAWINGS RIGHT DOWN HEAVY AND LEFT UP LIGHT
		return box{1, 2, 2, 1, false}, true
	case 0x2547: // ╇ BOX DRAWINGS DOWN LIGHT AND UP HORIZONTAL HEAVY
		return box{2, 2, 1, 2, false}, true
	case 0x2548: // ╈ BOX DRAWINGS UP LIGHT AND DOWN HORIZONTAL HEAVY
		return box{1, 2, 2, 2, false}, true
	case 0x2549: // ╉ BOX DRAWINGS RIGHT LIGHT AND LEFT VERTICAL HEAVY
		return box{2, 1, 2, 2, false}, true
	case 0x254A: // ╊ BOX DRAWINGS LEFT LIGHT AND RIGHT VERTICAL HEAVY
		return box{2, 2, 2, 1, false}, true
	case 0x254B: // ╋ BOX DRAWINGS HEAVY VERTICAL AND HORIZONTAL
		return box{2, 2, 2, 2, false}, true
	case 0x254C: // ╌ BOX DRAWINGS LIGHT DOUBLE DASH HORIZONTAL
		return box{0, 1, 0, 1, false}, true
	case 0x254D: // ╍ BOX DRAWINGS HEAVY DOUBLE DASH HORIZONTAL
		return box{0, 2, 0, 2, false}, true
	case 0x254E: // ╎ BOX DRAWINGS LIGHT DOUBLE DASH VERTICAL
		return box{1, 0, 1, 0, false}, true
	case 0x254F: // ╏ BOX DRAWINGS HEAVY DOUBLE DASH VERTICAL
		return box{2, 0, 2, 0, false}, true
	case 0x2550: // ═ BOX DRAWINGS DOUBLE HORIZONTAL
		return box{0, 3, 0, 3, false}, true
	case 0x2551: // ║ BOX DRAWINGS DOUBLE VERTICAL
		return box{3, 0, 3, 0, false}, true
	case 0x2552: // ╒ BOX DRAWINGS DOWN SINGLE AND RIGHT DOUBLE
		return box{0, 3, 1, 0, false}, true
	case 0x2553: // ╓ BOX DRAWINGS DOWN DOUBLE AND RIGHT SINGLE
		return box{0, 1, 3, 0, false}, true
	case 0x2554: // ╔ BOX DRAWINGS DOUBLE DOWN AND RIGHT
		return box{0, 3, 3, 0, false}, true
	case 0x2555: // ╕ BOX DRAWINGS DOWN SINGLE AND LEFT DOUBLE
		return box{0, 0, 1, 3, false}, true
	case 0x2556: // ╖ BOX DRAWINGS DOWN DOUBLE AND LEFT SINGLE
		return box{0, 0, 3, 1, false}, true
	case 0x2557: // ╗ BOX DRAWINGS DOUBLE DOWN AND LEFT
		return box{0, 0, 3, 3, false}, true
	case 0x2558: // ╘ BOX DRAWINGS UP SINGLE AND RIGHT DOUBLE
		return box{1, 3, 0, 0, false}, true
	case 0x2559: // ╙ BOX DRAWINGS UP DOUBLE AND RIGHT SINGLE
		return box{3, 1, 0, 0, false}, true
	case 0x255A: // ╚ BOX DRAWINGS DOUBLE UP AND RIGHT
		return box{3, 3, 0, 0, false}, true
	case 0x255B: // ╛ BOX DRAWINGS UP SINGLE AND LEFT DOUBLE
		return box{1, 0, 0, 3, false}, true
	case 0x255C: // ╜ BOX DRAWINGS UP DOUBLE AND LEFT SINGLE
		return box{3, 0, 0, 1, false}, true
	case 0x255D: // ╝ BOX DRAWINGS DOUBLE UP AND LEFT
		return box{3, 0, 0, 3, false}, true
	case 0x255E: // ╞ BOX DRAWINGS VERTICAL SINGLE AND RIGHT DOUBLE
		return box{1, 3, 1, 0, false}, true
	case 0x255F: // ╟ BOX DRAWINGS VERTICAL DOUBLE AND RIGHT SINGLE
		return box{3, 1, 3, 0, false}, true
	case 0x2560: // ╠ BOX DRAWINGS DOUBLE VERTICAL AND RIGHT
		return box{3, 3, 3, 0, false}, true
	case 0x2561: // ╡ BOX DRAWINGS VERTICAL SINGLE AND LEFT DOUBLE
		return box{1, 0, 1, 3, false}, true
	case 0x2562: // ╢ BOX DRAWINGS VERTICAL DOUBLE AND LEFT SINGLE
		return box{3, 0, 3, 1, false}, true
	case 0x2563: // ╣ BOX DRAWINGS DOUBLE VERTICAL AND LEFT
		return box{3, 0, 3, 3, false}, true
	case 0x2564: // ╤ BOX DRAWINGS DOWN SINGLE AND HORIZONTAL DOUBLE
		return box{0, 3, 1, 3, false}, true
	case 0x2565: // ╥ BOX DRAWINGS DOWN DOUBLE AND HORIZONTAL SINGLE
		return box{0, 1, 3, 1, false}, true
	case 0x2566: // ╦ BOX DRAWINGS DOUBLE DOWN AND HORIZONTAL
		return box{0, 3, 3, 3, false}, true
	case 0x2567: // ╧ BOX DRAWINGS UP SINGLE AND HORIZONTAL DOUBLE
		return box{1, 3, 0, 3, false}, true
	case 0x2568: // ╨ BOX DRAWINGS UP DOUBLE AND HORIZONTAL SINGLE
		return box{3, 1, 0, 1, false}, true
	case 0x2569: // ╩ BOX DRAWINGS DOUBLE UP AND HORIZONTAL
		return box{3, 3, 0, 3, false}, true
	case 0x256A: // ╪ BOX DRAWINGS VERTICAL SINGLE AND HORIZONTAL DOUBLE
		return box{1, 3, 1, 3, false}, true
	case 0x256B: // ╫ BOX DRAWINGS VERTICAL DOUBLE AND HORIZONTAL SINGLE
		return box{3, 1, 3, 1, false}, true
	case 0x256C: // ╬ BOX DRAWINGS DOUBLE VERTICAL AND HORIZONTAL
		return box{3, 3, 3, 3, false}, true
	case 0x256D: // ╭ BOX DRAWINGS LIGHT ARC DOWN AND RIGHT
		return box{0, 1, 1, 0, true}, true
	case 0x256E: // ╮ BOX DRAWINGS LIGHT ARC DOWN AND LEFT
		return box{0, 0, 1, 1, true}, true
	case 0x256F: // ╯ BOX DRAWINGS LIGHT ARC UP AND LEFT
		return box{1, 0, 0, 1, true}, true
	case 0x2570: // ╰ BOX DRAWINGS LIGHT ARC UP AND RIGHT
		return box{1, 1, 0, 0, true}, true
	case 0x2574: // ╴ BOX DRAWINGS LIGHT LEFT
		return box{0, 0, 0, 1, false}, true
	case 0x2575: // ╵ BOX DRAWINGS LIGHT UP
		return box{1, 0, 0, 0, false}, true
	case 0x2576: // ╶ BOX DRAWINGS LIGHT RIGHT
		return box{0, 1, 0, 0, false}, true
	case 0x2577: // ╷ BOX DRAWINGS LIGHT DOWN
		return box{0, 0, 1, 0, false}, true
	case 0x2578: // ╸ BOX DRAWINGS HEAVY LEFT
		return box{0, 0, 0, 2, false}, true
	case 0x2579: // ╹ BOX DRAWINGS HEAVY UP
		return box{2, 0, 0, 0, false}, true
	case 0x257A: // ╺ BOX DRAWINGS HEAVY RIGHT
		return box{0, 2, 0, 0, false}, true
	case 0x257B: // ╻ BOX DRAWINGS HEAVY DOWN
		return box{0, 0, 2, 0, false}, true
	case 0x257C: // ╼ BOX DRAWINGS LIGHT LEFT AND HEAVY RIGHT
		return box{0, 2, 0, 1, false}, true
	case 0x257D: // ╽ BOX DRAWINGS LIGHT UP AND HEAVY DOWN
		return box{1, 0, 2, 0, false}, true
	case 0x257E: // ╾ BOX DRAWINGS HEAVY LEFT AND LIGHT RIGHT
		return box{0, 1, 0, 2, false}, true
	case 0x257F: // ╿ BOX DRAWINGS HEAVY UP AND LIGHT DOWN
		return box{2, 0, 1, 0, false}, true
	}
	return box{}, false
}
