/* Matchmaking: the exact model of `kakehashi match schedule` (weight objective only).
   Solved as a MIP it gives the optimum; with --nomip (LP relaxation) an upper bound.
   Data (written by to_mathprog.py from an input JSON):
     S        slots; T tables per slot
     P        participants; M[p] their max_meetings (capped at their available slots)
     E        pairs with an accepted request; W[e] weight; CS[e] common available slots
     INC[p]   pairs of participant p
     L        locked (pair, slot) combinations                                            */
set S;
param T >= 0, integer;
set P;
param M{P} >= 0, integer;
set E;
param W{E} > 0;
set CS{E} within S;
set INC{P} within E;
set L dimen 2 within {e in E, s in CS[e]};

var x{e in E, s in CS[e]} binary;

maximize total_weight: sum{e in E, s in CS[e]} W[e] * x[e, s];

/* a pair meets at most once */
s.t. pair_once{e in E}: sum{s in CS[e]} x[e, s] <= 1;
/* a participant meets at most one partner per slot (only available slots exist as variables) */
s.t. one_per_slot{p in P, s in S}: sum{e in INC[p]: s in CS[e]} x[e, s] <= 1;
/* at most max_meetings meetings per participant */
s.t. max_meetings{p in P}: sum{e in INC[p], s in CS[e]} x[e, s] <= M[p];
/* at most T meetings per slot */
s.t. tables{s in S}: sum{e in E: s in CS[e]} x[e, s] <= T;
/* locked meetings are kept */
s.t. locked{(e, s) in L}: x[e, s] = 1;

end;
