"""Demo performance files in the real DfE layouts, generated for the demo partnership's schools.

`write_files(schools, out_dir)` writes KS2, KS4, absence and census downloads for three academic
years (2022/23, 2023/24, 2024/25) and one Ofsted management-information file, with the quirks of the
real downloads (byte-order mark, CRLF, percent strings, markers, summary rows that stop early, LA and
England rows). `load(stdout)` writes them to MEDIA_ROOT/demo/performance and imports them through
the import pipeline like any upload; generation is seeded, so running it twice changes nothing.

What the years show: KS2 progress is published for 2022/23 only (no KS1 baseline for 2023/24 and
2024/25 leavers); Progress 8 is absent in 2024/25. Each school keeps a steady "strength" across
years plus noise, so a few sit well below national every year and small cohorts are suppressed.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

YEARS = (2022, 2023, 2024)
OFSTED_AS_AT = date(2026, 3, 31)

# England (state-funded) figures by year, close to the published ones; "all schools" a little lower.
NATIONAL = {
    2022: {"ks2_rwm_exp": 60, "ks2_rwm_high": 8, "ks2_dis_rwm_exp": 44, "ks4_att8": 46.4, "ks4_p8": -0.03,
           "ks4_basics_95": 45.3, "ks4_ebacc_aps": 4.05},
    2023: {"ks2_rwm_exp": 61, "ks2_rwm_high": 8, "ks2_dis_rwm_exp": 46, "ks4_att8": 45.9, "ks4_p8": -0.03,
           "ks4_basics_95": 45.9, "ks4_ebacc_aps": 4.07},
    2024: {"ks2_rwm_exp": 62, "ks2_rwm_high": 8, "ks2_dis_rwm_exp": 47, "ks4_att8": 45.9, "ks4_p8": None,
           "ks4_basics_95": 45.2, "ks4_ebacc_aps": 4.05},
}
ABSENCE = {  # (overall %, persistent %) by phase
    2022: {"PRI": (5.9, 16.2), "SEC": (9.0, 26.5), "SPE": (13.6, 38.4)},
    2023: {"PRI": (5.5, 14.6), "SEC": (8.9, 25.6), "SPE": (13.0, 37.2)},
    2024: {"PRI": (5.2, 13.5), "SEC": (8.7, 24.7), "SPE": (12.8, 36.5)},
}
CENSUS = {  # FSM in last 6 years %, EHC plan %, SEN support %, EAL % by phase
    "PRI": (25.7, 2.3, 13.6, 22.5),
    "SEC": (28.9, 2.5, 11.6, 18.4),
    "SPE": (51.0, 98.0, 1.5, 16.0),
}
NFTYPE = {"la_maintained": "CY", "academy": "ACC", "free_school": "F", "special_maintained": "CYS",
          "special_academy": "ACS"}

# Real DfE/Ofsted column orders (headers of the 2018/19 Surrey KS2/KS4 downloads, the 2023/24 absence and
# January 2019 census downloads, and the Ofsted management information of May 2026).
KS2_HEADER_2018 = (
    'RECTYPE,ALPHAIND,LEA,ESTAB,URN,SCHNAME,ADDRESS1,ADDRESS2,ADDRESS3,TOWN,PCODE,TELNUM,PCON_CODE,PCON_NAME,URN_'
    'AC,SCHNAME_AC,OPEN_AC,NFTYPE,ICLOSE,RELDENOM,AGERANGE,CONFEXAM,TAB15,TAB1618,TOTPUPS,TPUPYEAR,TELIG,BELIG,GE'
    'LIG,PBELIG,PGELIG,TKS1AVERAGE,TKS1GROUP_L,PTKS1GROUP_L,TKS1GROUP_M,PTKS1GROUP_M,TKS1GROUP_H,PTKS1GROUP_H,TKS'
    '1GROUP_NA,PTKS1GROUP_NA,TFSM6CLA1A,PTFSM6CLA1A,TNotFSM6CLA1A,PTNotFSM6CLA1A,TEALGRP2,PTEALGRP2,TMOBN,PTMOBN,'
    'PTRWM_EXP,PTRWM_HIGH,READPROG,READPROG_LOWER,READPROG_UPPER,READCOV,WRITPROG,WRITPROG_LOWER,WRITPROG_UPPER,W'
    'RITCOV,MATPROG,MATPROG_LOWER,MATPROG_UPPER,MATCOV,PTREAD_EXP,PTREAD_HIGH,PTREAD_AT,READ_AVERAGE,PTGPS_EXP,PT'
    'GPS_HIGH,PTGPS_AT,GPS_AVERAGE,PTMAT_EXP,PTMAT_HIGH,PTMAT_AT,MAT_AVERAGE,PTWRITTA_EXP,PTWRITTA_HIGH,PTWRITTA_'
    'WTS,PTWRITTA_AD,PTSCITA_EXP,PTSCITA_AD,PTRWM_EXP_B,PTRWM_EXP_G,PTRWM_EXP_L,PTRWM_EXP_M,PTRWM_EXP_H,PTRWM_EXP'
    '_FSM6CLA1A,PTRWM_EXP_NotFSM6CLA1A,DIFFN_RWM_EXP,PTRWM_EXP_EAL,PTRWM_EXP_MOBN,PTRWM_HIGH_B,PTRWM_HIGH_G,PTRWM'
    '_HIGH_L,PTRWM_HIGH_M,PTRWM_HIGH_H,PTRWM_HIGH_FSM6CLA1A,PTRWM_HIGH_NotFSM6CLA1A,DIFFN_RWM_HIGH,PTRWM_HIGH_EAL'
    ',PTRWM_HIGH_MOBN,READPROG_B,READPROG_B_LOWER,READPROG_B_UPPER,READPROG_G,READPROG_G_LOWER,READPROG_G_UPPER,R'
    'EADPROG_L,READPROG_L_LOWER,READPROG_L_UPPER,READPROG_M,READPROG_M_LOWER,READPROG_M_UPPER,READPROG_H,READPROG'
    '_H_LOWER,READPROG_H_UPPER,READPROG_FSM6CLA1A,READPROG_FSM6CLA1A_LOWER,READPROG_FSM6CLA1A_UPPER,READPROG_NotF'
    'SM6CLA1A,READPROG_NotFSM6CLA1A_LOWER,READPROG_NotFSM6CLA1A_UPPER,DIFFN_READPROG,READPROG_EAL,READPROG_EAL_LO'
    'WER,READPROG_EAL_UPPER,READPROG_MOBN,READPROG_MOBN_LOWER,READPROG_MOBN_UPPER,WRITPROG_B,WRITPROG_B_LOWER,WRI'
    'TPROG_B_UPPER,WRITPROG_G,WRITPROG_G_LOWER,WRITPROG_G_UPPER,WRITPROG_L,WRITPROG_L_LOWER,WRITPROG_L_UPPER,WRIT'
    'PROG_M,WRITPROG_M_LOWER,WRITPROG_M_UPPER,WRITPROG_H,WRITPROG_H_LOWER,WRITPROG_H_UPPER,WRITPROG_FSM6CLA1A,WRI'
    'TPROG_FSM6CLA1A_LOWER,WRITPROG_FSM6CLA1A_UPPER,WRITPROG_NotFSM6CLA1A,WRITPROG_NotFSM6CLA1A_LOWER,WRITPROG_No'
    'tFSM6CLA1A_UPPER,DIFFN_WRITPROG,WRITPROG_EAL,WRITPROG_EAL_LOWER,WRITPROG_EAL_UPPER,WRITPROG_MOBN,WRITPROG_MO'
    'BN_LOWER,WRITPROG_MOBN_UPPER,MATPROG_B,MATPROG_B_LOWER,MATPROG_B_UPPER,MATPROG_G,MATPROG_G_LOWER,MATPROG_G_U'
    'PPER,MATPROG_L,MATPROG_L_LOWER,MATPROG_L_UPPER,MATPROG_M,MATPROG_M_LOWER,MATPROG_M_UPPER,MATPROG_H,MATPROG_H'
    '_LOWER,MATPROG_H_UPPER,MATPROG_FSM6CLA1A,MATPROG_FSM6CLA1A_LOWER,MATPROG_FSM6CLA1A_UPPER,MATPROG_NotFSM6CLA1'
    'A,MATPROG_NotFSM6CLA1A_LOWER,MATPROG_NotFSM6CLA1A_UPPER,DIFFN_MATPROG,MATPROG_EAL,MATPROG_EAL_LOWER,MATPROG_'
    'EAL_UPPER,MATPROG_MOBN,MATPROG_MOBN_LOWER,MATPROG_MOBN_UPPER,READ_AVERAGE_B,READ_AVERAGE_G,READ_AVERAGE_L,RE'
    'AD_AVERAGE_M,READ_AVERAGE_H,READ_AVERAGE_FSM6CLA1A,READ_AVERAGE_NotFSM6CLA1A,READ_AVERAGE_EAL,READ_AVERAGE_M'
    'OBN,MAT_AVERAGE_B,MAT_AVERAGE_G,MAT_AVERAGE_L,MAT_AVERAGE_M,MAT_AVERAGE_H,MAT_AVERAGE_FSM6CLA1A,MAT_AVERAGE_'
    'NotFSM6CLA1A,MAT_AVERAGE_EAL,MAT_AVERAGE_MOBN,GPS_AVERAGE_B,GPS_AVERAGE_G,GPS_AVERAGE_L,GPS_AVERAGE_M,GPS_AV'
    'ERAGE_H,GPS_AVERAGE_FSM6CLA1A,GPS_AVERAGE_NotFSM6CLA1A,GPS_AVERAGE_EAL,GPS_AVERAGE_MOBN,PTREAD_EXP_L,PTREAD_'
    'EXP_M,PTREAD_EXP_H,PTREAD_EXP_FSM6CLA1A,PTREAD_EXP_NotFSM6CLA1A,PTGPS_EXP_L,PTGPS_EXP_M,PTGPS_EXP_H,PTGPS_EX'
    'P_FSM6CLA1A,PTGPS_EXP_NotFSM6CLA1A,PTMAT_EXP_L,PTMAT_EXP_M,PTMAT_EXP_H,PTMAT_EXP_FSM6CLA1A,PTMAT_EXP_NotFSM6'
    'CLA1A,PTWRITTA_EXP_L,PTWRITTA_EXP_M,PTWRITTA_EXP_H,PTWRITTA_EXP_FSM6CLA1A,PTWRITTA_EXP_NotFSM6CLA1A,PTREAD_H'
    'IGH_L,PTREAD_HIGH_M,PTREAD_HIGH_H,PTREAD_HIGH_FSM6CLA1A,PTREAD_HIGH_NotFSM6CLA1A,PTGPS_HIGH_L,PTGPS_HIGH_M,P'
    'TGPS_HIGH_H,PTGPS_HIGH_FSM6CLA1A,PTGPS_HIGH_NotFSM6CLA1A,PTMAT_HIGH_L,PTMAT_HIGH_M,PTMAT_HIGH_H,PTMAT_HIGH_F'
    'SM6CLA1A,PTMAT_HIGH_NotFSM6CLA1A,PTWRITTA_HIGH_L,PTWRITTA_HIGH_M,PTWRITTA_HIGH_H,PTWRITTA_HIGH_FSM6CLA1A,PTW'
    'RITTA_HIGH_NotFSM6CLA1A,TEALGRP1,PTEALGRP1,TEALGRP3,PTEALGRP3,TSENELE,PSENELE,TSENELK,PSENELK,TSENELEK,PSENE'
    'LEK,TELIG_18,PTFSM6CLA1A_18,PTNOTFSM6CLA1A_18,PTRWM_EXP_18,PTRWM_HIGH_18,PTRWM_EXP_FSM6CLA1A_18,PTRWM_HIGH_F'
    'SM6CLA1A_18,PTRWM_EXP_NotFSM6CLA1A_18,PTRWM_HIGH_NotFSM6CLA1A_18,READPROG_18,READPROG_LOWER_18,READPROG_UPPE'
    'R_18,WRITPROG_18,WRITPROG_LOWER_18,WRITPROG_UPPER_18,MATPROG_18,MATPROG_LOWER_18,MATPROG_UPPER_18,READ_AVERA'
    'GE_18,MAT_AVERAGE_18,TELIG_17,PTFSM6CLA1A_17,PTNOTFSM6CLA1A_17,PTRWM_EXP_17,PTRWM_HIGH_17,PTRWM_EXP_FSM6CLA1'
    'A_17,PTRWM_HIGH_FSM6CLA1A_17,PTRWM_EXP_NotFSM6CLA1A_17,PTRWM_HIGH_NotFSM6CLA1A_17,READPROG_17,READPROG_LOWER'
    '_17,READPROG_UPPER_17,WRITPROG_17,WRITPROG_LOWER_17,WRITPROG_UPPER_17,MATPROG_17,MATPROG_LOWER_17,MATPROG_UP'
    'PER_17,READ_AVERAGE_17,MAT_AVERAGE_17,TELIG_3YR,PTRWM_EXP_3YR,PTRWM_HIGH_3YR,READ_AVERAGE_3YR,MAT_AVERAGE_3Y'
    'R,READPROG_UNADJUSTED,WRITPROG_UNADJUSTED,MATPROG_UNADJUSTED,READPROG_DESCR_17,WRITPROG_DESCR_17,MATPROG_DES'
    'CR_17,READPROG_DESCR_18,WRITPROG_DESCR_18,MATPROG_DESCR_18,READPROG_DESCR,WRITPROG_DESCR,MATPROG_DESCR'
).split(",")
KS4_HEADER_2018 = (
    'RECTYPE,LEA,ESTAB,URN,SCHNAME,SCHNAME_AC,ADDRESS1,ADDRESS2,ADDRESS3,TOWN,PCODE,TELNUM,PCON_CODE,PCON_NAME,CO'
    'NTFLAG,ICLOSE,NFTYPE,RELDENOM,ADMPOL,ADMPOL_PT,EGENDER,FEEDER,TABKS2,TAB1618,AGERANGE,CONFEXAM,TOTPUPS,NUMBO'
    'YS,NUMGIRLS,TPUP,BPUP,PBPUP,GPUP,PGPUP,KS2APS,TPRIORLO,PTPRIORLO,TPRIORAV,PTPRIORAV,TPRIORHI,PTPRIORHI,TFSM6'
    'CLA1A,PTFSM6CLA1A,TNOTFSM6CLA1A,PTNOTFSM6CLA1A,TEALGRP2,PTEALGRP2,TEALGRP1,PTEALGRP1,TEALGRP3,PTEALGRP3,TNMO'
    'B,PTNMOB,SENSE4,PSENSE4,SENAPK4,PSENAPK4,SEN_ALL,PSEN_ALL,TOTATT8,ATT8SCR,TOTATT8ENG,ATT8SCRENG,TOTATT8MAT,A'
    'TT8SCRMAT,TOTATT8EBAC,ATT8SCREBAC,TOTATT8OPEN,ATT8SCROPEN,TOTATT8OPENG,ATT8SCROPENG,TOTATT8OPENNG,ATT8SCROPE'
    'NNG,AVGEBACFILL,AVGOPENFILL,P8PUP,TP8ADJ,P8MEACOV,P8MEA,P8CILOW,P8CIUPP,P8MEA_ORIG,P8CILOW_ORIG,P8CIUPP_ORIG'
    ',P8MEAENG,P8MEAENG_CILOW,P8MEAENG_CIUPP,P8MEAMAT,P8MEAMAT_CILOW,P8MEAMAT_CIUPP,P8MEAEBAC,P8MEAEBAC_CILOW,P8M'
    'EAEBAC_CIUPP,P8MEAOPEN,P8MEAOPEN_CILOW,P8MEAOPEN_CIUPP,PTL2BASICS_94,PTL2BASICS_95,TOTEBACCAPS,EBACCAPS,EBAC'
    'CAPS_FSM6CLA1A,EBACCAPS_NFSM6CLA1A,EBACCAPS_LO,EBACCAPS_AV,EBACCAPS_HI,EBACCAPS_EAL,EBACCAPS_GIRLS,EBACCAPS_'
    'BOYS,EBACCAPS_NMOB,EBACCAPS_18,EBACCAPS_FSM6CLA1A_18,EBACCAPS_NFSM6CLA1A_18,TEBACC_E_PTQ_EE,PTEBACC_E_PTQ_EE'
    ',PTEBACC_94,PTEBACC_95,TEBACENG_E_PTQ_EE,PTEBACENG_E_PTQ_EE,TEBACMAT_E_PTQ_EE,PTEBACMAT_E_PTQ_EE,TEBAC2SCI_E'
    '_PTQ_EE,PTEBAC2SCI_E_PTQ_EE,TEBACHUM_E_PTQ_EE,PTEBACHUM_E_PTQ_EE,TEBACLAN_E_PTQ_EE,PTEBACLAN_E_PTQ_EE,PTEBAC'
    'ENG_94,PTEBACENG_95,PTEBACMAT_94,PTEBACMAT_95,PTEBAC2SCI_94,PTEBAC2SCI_95,PTEBACHUM_94,PTEBACHUM_95,PTEBACLA'
    'N_94,PTEBACLAN_95,SCIVACOV_PTQ_EE,HUMVACOV_PTQ_EE,LANVACOV_PTQ_EE,SCIVAMEA_PTQ_EE,SCIVALOW_PTQ_EE,SCIVAUPP_P'
    'TQ_EE,HUMVAMEA_PTQ_EE,HUMVALOW_PTQ_EE,HUMVAUPP_PTQ_EE,LANVAMEA_PTQ_EE,LANVALOW_PTQ_EE,LANVAUPP_PTQ_EE,TEBACE'
    'NG_94,TEBACENG_95,TEBACMAT_94,TEBACMAT_95,TEBAC2SCI_94,TEBAC2SCI_95,TEBACHUM_94,TEBACHUM_95,TEBACLAN_94,TEBA'
    'CLAN_95,TEBACC91,PTEBACC91,TEBACENG91,PTEBACENG91,TEBACMAT91,PTEBACMAT91,TEBAC2SCI91,PTEBAC2SCI91,TEBACHUM91'
    ',PTEBACHUM91,TEBACLAN91,PTEBACLAN91,ATT8SCR_FSM6CLA1A,P8PUP_FSM6CLA1A,TP8ADJ_FSM6CLA1A,P8MEA_FSM6CLA1A,P8CIL'
    'OW_FSM6CLA1A,P8CIUPP_FSM6CLA1A,P8MEA_FSM6CLA1A_ORIG,P8CILOW_FSM6CLA1A_ORIG,P8CIUPP_FSM6CLA1A_ORIG,ATT8SCR_NF'
    'SM6CLA1A,P8PUP_NFSM6CLA1A,TP8ADJ_NFSM6CLA1A,P8MEA_NFSM6CLA1A,P8CILOW_NFSM6CLA1A,P8CIUPP_NFSM6CLA1A,P8MEA_NFS'
    'M6CLA1A_ORIG,P8CILOW_NFSM6CLA1A_ORIG,P8CIUPP_NFSM6CLA1A_ORIG,ATT8SCRENG_FSM6CLA1A,P8MEAENG_FSM6CLA1A,P8MEAEN'
    'G_CILOW_FSM6CLA1A,P8MEAENG_CIUPP_FSM6CLA1A,ATT8SCRMAT_FSM6CLA1A,P8MEAMAT_FSM6CLA1A,P8MEAMAT_CILOW_FSM6CLA1A,'
    'P8MEAMAT_CIUPP_FSM6CLA1A,ATT8SCREBAC_FSM6CLA1A,P8MEAEBAC_FSM6CLA1A,P8MEAEBAC_CILOW_FSM6CLA1A,P8MEAEBAC_CIUPP'
    '_FSM6CLA1A,ATT8SCROPEN_FSM6CLA1A,P8MEAOPEN_FSM6CLA1A,P8MEAOPEN_CILOW_FSM6CLA1A,P8MEAOPEN_CIUPP_FSM6CLA1A,ATT'
    '8SCRENG_NFSM6CLA1A,P8MEAENG_NFSM6CLA1A,P8MEAENG_CILOW_NFSM6CLA1A,P8MEAENG_CIUPP_NFSM6CLA1A,ATT8SCRMAT_NFSM6C'
    'LA1A,P8MEAMAT_NFSM6CLA1A,P8MEAMAT_CILOW_NFSM6CLA1A,P8MEAMAT_CIUPP_NFSM6CLA1A,ATT8SCREBAC_NFSM6CLA1A,P8MEAEBA'
    'C_NFSM6CLA1A,P8MEAEBAC_CILOW_NFSM6CLA1A,P8MEAEBAC_CIUPP_NFSM6CLA1A,ATT8SCROPEN_NFSM6CLA1A,P8MEAOPEN_NFSM6CLA'
    '1A,P8MEAOPEN_CILOW_NFSM6CLA1A,P8MEAOPEN_CIUPP_NFSM6CLA1A,ATT8SCROPENG_FSM6CLA1A,ATT8SCROPENNG_FSM6CLA1A,ATT8'
    'SCROPENG_NFSM6CLA1A,ATT8SCROPENNG_NFSM6CLA1A,DIFFN_ATT8,DIFFN_P8MEA,ATT8SCR_LO,P8PUP_LO,TP8ADJ_LO,P8MEA_LO,P'
    '8CILOW_LO,P8CIUPP_LO,P8MEA_LO_ORIG,P8CILOW_LO_ORIG,P8CIUPP_LO_ORIG,ATT8SCR_AV,P8PUP_AV,TP8ADJ_AV,P8MEA_AV,P8'
    'CILOW_AV,P8CIUPP_AV,P8MEA_AV_ORIG,P8CILOW_AV_ORIG,P8CIUPP_AV_ORIG,ATT8SCR_HI,P8PUP_HI,TP8ADJ_HI,P8MEA_HI,P8C'
    'ILOW_HI,P8CIUPP_HI,P8MEA_HI_ORIG,P8CILOW_HI_ORIG,P8CIUPP_HI_ORIG,ATT8SCR_EAL,ATT8SCRENG_EAL,ATT8SCRMAT_EAL,A'
    'TT8SCREBAC_EAL,ATT8SCROPEN_EAL,ATT8SCROPENG_EAL,ATT8SCROPENNG_EAL,P8PUP_EAL,TP8ADJ_EAL,P8MEA_EAL,P8CILOW_EAL'
    ',P8CIUPP_EAL,P8MEA_EAL_ORIG,P8CILOW_EAL_ORIG,P8CIUPP_EAL_ORIG,ATT8SCR_GIRLS,ATT8SCRENG_GIRLS,ATT8SCRMAT_GIRL'
    'S,ATT8SCREBAC_GIRLS,ATT8SCROPEN_GIRLS,ATT8SCROPENG_GIRLS,ATT8SCROPENNG_GIRLS,P8PUP_GIRLS,TP8ADJ_GIRLS,P8MEA_'
    'GIRLS,P8CILOW_GIRLS,P8CIUPP_GIRLS,P8MEA_GIRLS_ORIG,P8CILOW_GIRLS_ORIG,P8CIUPP_GIRLS_ORIG,ATT8SCR_BOYS,ATT8SC'
    'RENG_BOYS,ATT8SCRMAT_BOYS,ATT8SCREBAC_BOYS,ATT8SCROPEN_BOYS,ATT8SCROPENG_BOYS,ATT8SCROPENNG_BOYS,P8PUP_BOYS,'
    'TP8ADJ_BOYS,P8MEA_BOYS,P8CILOW_BOYS,P8CIUPP_BOYS,P8MEA_BOYS_ORIG,P8CILOW_BOYS_ORIG,P8CIUPP_BOYS_ORIG,ATT8SCR'
    '_NMOB,ATT8SCRENG_NMOB,ATT8SCRMAT_NMOB,ATT8SCREBAC_NMOB,ATT8SCROPEN_NMOB,ATT8SCROPENG_NMOB,ATT8SCROPENNG_NMOB'
    ',P8PUP_NMOB,TP8ADJ_NMOB,P8MEA_NMOB,P8CILOW_NMOB,P8CIUPP_NMOB,P8MEA_NMOB_ORIG,P8CILOW_NMOB_ORIG,P8CIUPP_NMOB_'
    'ORIG,ATT8SCR_17,P8PUP_17,P8MEA_17,P8CILOW_17,P8CIUPP_17,ATT8SCR_FSM6CLA1A_17,P8PUP_FSM6CLA1A_17,P8MEA_FSM6CL'
    'A1A_17,P8CILOW_FSM6CLA1A_17,P8CIUPP_FSM6CLA1A_17,ATT8SCR_NFSM6CLA1A_17,P8PUP_NFSM6CLA1A_17,P8MEA_NFSM6CLA1A_'
    '17,P8CILOW_NFSM6CLA1A_17,P8CIUPP_NFSM6CLA1A_17,ATT8SCR_18,P8PUP_18,P8MEA_18,P8CILOW_18,P8CIUPP_18,ATT8SCR_FS'
    'M6CLA1A_18,P8PUP_FSM6CLA1A_18,P8MEA_FSM6CLA1A_18,P8CILOW_FSM6CLA1A_18,P8CIUPP_FSM6CLA1A_18,ATT8SCR_NFSM6CLA1'
    'A_18,P8PUP_NFSM6CLA1A_18,P8MEA_NFSM6CLA1A_18,P8CILOW_NFSM6CLA1A_18,P8CIUPP_NFSM6CLA1A_18,TEBACC_ELO_PTQ_EE,P'
    'TEBACC_ELO_PTQ_EE,PTEBACCLO_94,PTEBACCLO_95,TEBACC_EAV_PTQ_EE,PTEBACC_EAV_PTQ_EE,PTEBACCAV_94,PTEBACCAV_95,T'
    'EBACC_EHI_PTQ_EE,PTEBACC_EHI_PTQ_EE,PTEBACCHI_94,PTEBACCHI_95,PTEBACC_EFSM6CLA1A_PTQ_EE,PTEBACC_ENFSM6CLA1A_'
    'PTQ_EE,PTEBACC_94_FSM6CLA1A,PTEBACC_95_FSM6CLA1A,PTEBACC_94_NFSM6CLA1A,PTEBACC_95_NFSM6CLA1A,SCIVAMEA_LO_PTQ'
    '_EE,SCIVAMEA_AV_PTQ_EE,SCIVAMEA_HI_PTQ_EE,SCIVAMEA_FSM6CLA1A_PTQ_EE,SCIVAMEA_NFSM6CLA1A_PTQ_EE,HUMVAMEA_LO_P'
    'TQ_EE,HUMVAMEA_AV_PTQ_EE,HUMVAMEA_HI_PTQ_EE,HUMVAMEA_FSM6CLA1A_PTQ_EE,HUMVAMEA_NFSM6CLA1A_PTQ_EE,LANVAMEA_LO'
    '_PTQ_EE,LANVAMEA_AV_PTQ_EE,LANVAMEA_HI_PTQ_EE,LANVAMEA_FSM6CLA1A_PTQ_EE,LANVAMEA_NFSM6CLA1A_PTQ_EE,SCIVAUPP_'
    'FSM6CLA1A_PTQ_EE,SCIVALOW_FSM6CLA1A_PTQ_EE,SCIVAUPP_NFSM6CLA1A_PTQ_EE,SCIVALOW_NFSM6CLA1A_PTQ_EE,SCIVAUPP_LO'
    '_PTQ_EE,SCIVALOW_LO_PTQ_EE,SCIVAUPP_AV_PTQ_EE,SCIVALOW_AV_PTQ_EE,SCIVAUPP_HI_PTQ_EE,SCIVALOW_HI_PTQ_EE,HUMVA'
    'UPP_FSM6CLA1A_PTQ_EE,HUMVALOW_FSM6CLA1A_PTQ_EE,HUMVAUPP_NFSM6CLA1A_PTQ_EE,HUMVALOW_NFSM6CLA1A_PTQ_EE,HUMVAUP'
    'P_LO_PTQ_EE,HUMVALOW_LO_PTQ_EE,HUMVAUPP_AV_PTQ_EE,HUMVALOW_AV_PTQ_EE,HUMVAUPP_HI_PTQ_EE,HUMVALOW_HI_PTQ_EE,L'
    'ANVAUPP_FSM6CLA1A_PTQ_EE,LANVALOW_FSM6CLA1A_PTQ_EE,LANVAUPP_NFSM6CLA1A_PTQ_EE,LANVALOW_NFSM6CLA1A_PTQ_EE,LAN'
    'VAUPP_LO_PTQ_EE,LANVALOW_LO_PTQ_EE,LANVAUPP_AV_PTQ_EE,LANVALOW_AV_PTQ_EE,LANVAUPP_HI_PTQ_EE,LANVALOW_HI_PTQ_'
    'EE,PTEBACC_E_17_PTQ_EE,PTEBACC_94_17,PTEBACC_95_17,PTEBACC_E_18_PTQ_EE,PTEBACC_94_18,PTEBACC_95_18,PBEBACC_E'
    '_PTQ_EE,PBEBACC_94,PBEBACC_95,PGEBACC_E_PTQ_EE,PGEBACC_94,PGEBACC_95,PTEBACC_ENMOB_PTQ_EE,PTEBACCNMOB_94,PTE'
    'BACCNMOB_95,PTEBACC_EEAL_PTQ_EE,PTEBACCEAL_94,PTEBACCEAL_95,PTEBACC_EFSM6CLA1A_17,PTEBACC_94_FSM6CLA1A_17,PT'
    'EBACC_95_FSM6CLA1A_17,PTEBACC_ENFSM6CLA1A_17,PTEBACC_94_NFSM6CLA1A_17,PTEBACC_95_NFSM6CLA1A_17,PTEBACC_EFSM6'
    'CLA1A_18,PTEBACC_94_FSM6CLA1A_18,PTEBACC_95_FSM6CLA1A_18,PTEBACC_ENFSM6CLA1A_18,PTEBACC_94_NFSM6CLA1A_18,PTE'
    'BACC_95_NFSM6CLA1A_18,PT5EM_94,PT5EM_94_17,PT5EM_94_18,PTANYQ_PTQ_EE,PTL2BASICS_94_17,PTL2BASICS_95_17,PTL2B'
    'ASICS_94_18,PTL2BASICS_95_18,PTFSM6CLA1ABASICS_94,PTNOTFSM6CLA1ABASICS_94,TBASICSLO_94,PTBASICSLO_94,TBASICS'
    'AV_94,PTBASICSAV_94,TBASICSHI_94,PTBASICSHI_94,PBL2BASICS_94,PGL2BASICS_94,PTL2BASICSEAL_94,PTL2BASICSNMOB_9'
    '4,PTFSM6CLA1ABASICS_95,PTNOTFSM6CLA1ABASICS_95,TBASICSLO_95,PTBASICSLO_95,TBASICSAV_95,PTBASICSAV_95,TBASICS'
    'HI_95,PTBASICSHI_95,PBL2BASICS_95,PGL2BASICS_95,PTL2BASICSEAL_95,PTL2BASICSNMOB_95,PTFSM6CLA1ABASICS_94_17,P'
    'TFSM6CLA1ABASICS_95_17,PTNOTFSMBASICS_94_17,PTNOTFSM6CLA1ABASICS_95_17,PTFSM6CLA1ABASICS_94_18,PTFSM6CLA1ABA'
    'SICS_95_18,PTNOTFSM6CLA1ABASICS_94_18,PTNOTFSM6CLA1ABASICS_95_18,PTmultiLan_E,PTtripleSci_E,TFSM6CLA1A_17,PT'
    'FSM6CLA1A_17,TNOTFSM6CLA1A_17,PTNOTFSM6CLA1A_17,TFSM6CLA1A_18,PTFSM6CLA1A_18,TNOTFSM6CLA1A_18,PTNOTFSM6CLA1A'
    '_18,TAVENT_E_3NG_PTQ_EE,TAVENT_E_3NG_LO_PTQ_EE,TAVENT_E_3NG_AV_PTQ_EE,TAVENT_E_3NG_HI_PTQ_EE,TAVENT_E_3NG_FS'
    'M6CLA1A_PTQ_EE,TAVENT_E_3NG_NFSM6CLA1A_PTQ_EE,TAVENT_EFSM6CLA1A_17_PTQ_EE,TAVENT_ENFSM6CLA1A_17_PTQ_EE,TAVEN'
    'T_EFSM6CLA1A_18_PTQ_EE,TAVENT_ENFSM6CLA1A_18_PTQ_EE,TAVENT_G_PTQ_EE,TAVENT_GLO_PTQ_EE,TAVENT_GAV_PTQ_EE,TAVE'
    'NT_GHI_PTQ_EE,TAVENT_GFSM6CLA1A_PTQ_EE,TAVENT_GNFSM6CLA1A_PTQ_EE,TAVENT_GFSM6CLA1A_17_PTQ_EE,TAVENT_GNFSM6CL'
    'A1A_17_PTQ_EE,TAVENT_GFSM6CLA1A_18_PTQ_EE,TAVENT_GNFSM6CLA1A_18_PTQ_EE,P8_BANDING'
).split(",")
ABS_HEADER = (
    'LA,ESTAB,URN,PERCTOT,PPERSABS10'
).split(",")
CENSUS_HEADER = (
    'URN,LA,ESTAB,SCHOOLTYPE,NOR,NORG,NORB,PNORG,PNORB,TSENELSE,PSENELSE,TSENELK,PSENELK,NUMEAL,NUMENGFL,NUMUNCFL'
    ',PNUMEAL,PNUMENGFL,PNUMUNCFL,NUMFSM,NUMFSMEVER,PNUMFSMEVER'
).split(",")
OFSTED_MI_HEADER = (
    'Web Link (opens in new window),URN,LAESTAB,School name,Ofsted phase,Type of education,School open '
    'date,Admissions policy,Sixth form,Designated religious character,Religious ethos,Faith grouping,Ofsted '
    'region,Region,Local authority,Parliamentary constituency,Postcode,Multi-academy trust UID,Multi-academy '
    'trust name,Academy sponsor UID,Academy sponsor name,The income deprivation affecting children index (IDACI) '
    'quintile,Total number of pupils,Statutory lowest age,Statutory highest age,Inspection number of latest full '
    'inspection,Inspection type,Inspection type grouping,Event type grouping,Inspection start date,Publication '
    'date,Does the latest full inspection relate to the URN of the current school?,URN at time of latest full '
    'inspection,LAESTAB at time of latest full inspection,School name at time of latest full inspection,School '
    'type at time of latest full inspection,Category of concern,Safeguarding standards,Safeguarding standards - '
    'date of grade,Inclusion,Inclusion - date of grade,Curriculum and teaching,Curriculum and teaching - date of '
    'grade,Achievement,Achievement - date of grade,Attendance and behaviour,Attendance and behaviour - date of '
    'grade,Personal development and wellbeing,Personal development and wellbeing - date of grade,Early years '
    '(where applicable),Early years - date of grade,Post-16 provision (where applicable),Post-16 provision - date'
    ' of grade,Leadership and governance,Leadership and governance - date of grade,Inspection number of latest '
    'OEIF graded inspection,Inspection type of latest OEIF graded inspection,Inspection type grouping of latest '
    'OEIF graded inspection,Event type grouping of latest OEIF graded inspection,Inspection start date of latest '
    'OEIF graded inspection,Publication date of latest OEIF graded inspection,Does the latest OEIF graded '
    'inspection relate to the URN of the current school?,URN at time of latest OEIF graded inspection,LAESTAB at '
    'time of latest OEIF graded inspection,School name at time of latest OEIF graded inspection,School type at '
    'time of latest OEIF graded inspection,Latest OEIF category of concern,Latest OEIF overall '
    'effectiveness,Latest OEIF quality of education,Latest OEIF behaviour and attitudes,Latest OEIF personal '
    'development,Latest OEIF effectiveness of leadership and management,Latest OEIF  safeguarding is '
    'effective?,Latest OEIF early years provision (where applicable),Latest OEIF sixth form provision (where '
    'applicable),Latest ungraded inspection number,Date of latest ungraded inspection,Ungraded inspection '
    'publication date,Does the ungraded inspection relate to the URN of the current school?,URN at time of the '
    'ungraded inspection,LAESTAB at time of the ungraded inspection,School name at time of the ungraded '
    'inspection,School type at time of the ungraded inspection,Ungraded inspection overall outcome,Most recent '
    'category of concern'
).split(",")


@dataclass
class DemoSchool:
    urn: int
    la_code: str
    la_name: str
    estab: str
    name: str
    phase: str  # primary, secondary, all_through, special
    pupils: int
    governance: str
    town: str = ""
    ofsted_rating: str = ""
    ofsted_date: date | None = None
    high_age: int | None = None

    @property
    def ks2(self):
        # Key stage 2 ends in year 6 (age 11): an infant school (to age 7) has no KS2 results.
        return self.phase in ("primary", "all_through", "special") and (self.high_age is None or self.high_age >= 11)

    @property
    def ks4(self):
        return self.phase in ("secondary", "all_through", "special")

    @property
    def abs_phase(self):
        return {"primary": "PRI", "special": "SPE"}.get(self.phase, "SEC")


def demo_schools(queryset=None):
    """The register's open state-funded schools with a phase the files cover, as plain records. Closed
    schools (predecessors of academies) have no recent results and no place in Ofsted's file of open
    schools' latest inspections."""
    from schools.models import School

    qs = queryset if queryset is not None else School.objects.partnership().open().state_funded()
    out = []
    for s in qs.select_related("la").order_by("urn"):
        phase = "special" if s.governance in ("special_maintained", "special_academy") else s.phase
        if phase not in ("primary", "secondary", "all_through", "special"):
            continue
        out.append(DemoSchool(
            urn=s.urn, la_code=s.la.code, la_name=s.la.name, estab=s.establishment_number or str(2000 + s.urn % 7000),
            name=s.name, phase=phase, pupils=s.pupils or (210 if phase == "primary" else 900), governance=s.governance,
            town=s.town, ofsted_rating=s.ofsted_rating, ofsted_date=s.ofsted_date, high_age=s.high_age,
        ))
    return out


# ------------------------------------------------------------------------------------------ numbers
class _Gen:
    """Per-school steady strength (z), per-year noise, all seeded by URN and year."""

    def __init__(self, seed):
        self.seed = seed

    def strength(self, school):
        r = random.Random(f"{self.seed}-{school.urn}")
        z = r.gauss(0, 1)
        if r.random() < 0.12:
            z = -abs(z) - 1.6  # a few schools sit well below national year after year
        return z

    def rng(self, school, year, what):
        return random.Random(f"{self.seed}-{school.urn}-{year}-{what}")


def _clip(v, low=0.0, high=100.0):
    return max(low, min(high, v))


def _pct(v, decimals=0):
    return f"{round(v):d}%" if decimals == 0 else f"{v:.{decimals}f}%"


def _num(v, decimals=1):
    text = f"{v:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ------------------------------------------------------------------------------------------ layouts
def _year_columns(header, year, drop=()):
    """The 2018/19 column order moved to `year`: previous-years suffixes follow the year, dropped families go."""
    out = []
    for name in header:
        if any(name == d or name.startswith(d + "_") for d in drop):
            continue
        if name.endswith("_18"):
            name = f"{name[:-3]}_{year % 100:02d}"
        elif name.endswith("_17"):
            name = f"{name[:-3]}_{(year - 1) % 100:02d}"
        out.append(name)
    return out


KS2_PROGRESS_FAMILIES = ("READPROG", "WRITPROG", "MATPROG", "READCOV", "WRITCOV", "MATCOV")
KS4_P8_FAMILIES = ("P8MEA", "P8PUP", "P8CILOW", "P8CIUPP", "P8MEACOV", "TP8ADJ", "P8_BANDING", "P8MEA_ORIG",
                   "P8CILOW_ORIG", "P8CIUPP_ORIG")


def ks2_header(year):
    return _year_columns(KS2_HEADER_2018, year, KS2_PROGRESS_FAMILIES if year >= 2023 else ())


def ks4_header(year):
    return _year_columns(KS4_HEADER_2018, year, KS4_P8_FAMILIES if year in (2024, 2025) else ())


def _line(header, cells, short=False):
    row = [str(cells.get(name, "")) for name in header]
    if short:  # summary rows in DfE downloads stop after their last filled field
        while row and row[-1] == "":
            row.pop()
    return ",".join(_quote(c) for c in row)


def _quote(text):
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


def _write(path, header, lines, *, bom=True, crlf=True):
    end = "\r\n" if crlf else "\n"
    text = end.join([",".join(_quote(h) for h in header), *lines]) + end
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def _la_rows(schools):
    las = {}
    for s in schools:
        las.setdefault(s.la_code, s.la_name)
    return sorted(las.items())


def _weighted(rows, key, cohort):
    pairs = [(r[key], r[cohort]) for r in rows if isinstance(r.get(key), (int, float)) and r.get(cohort)]
    total = sum(c for _, c in pairs)
    return sum(v * c for v, c in pairs) / total if total else None


def write_ks2(schools, year, path, gen):
    header = ks2_header(year)
    nat = NATIONAL[year]
    lines, stats = [], []
    for s in (x for x in schools if x.ks2):
        r = gen.rng(s, year, "ks2")
        z = gen.strength(s) + r.gauss(0, 0.45)
        special = s.phase == "special"
        telig = max(1, round((s.pupils / (7 if s.phase == "primary" else 12)) * r.uniform(0.8, 1.2)))
        if r.random() < 0.06:
            telig = r.randint(2, 5)  # small cohorts: suppressed
        cells = {"RECTYPE": 2 if special else 1, "LEA": s.la_code, "ESTAB": s.estab, "URN": s.urn,
                 "SCHNAME": s.name, "TOWN": s.town, "NFTYPE": NFTYPE.get(s.governance, "CY"), "ICLOSE": 0,
                 "TOTPUPS": s.pupils, "TELIG": telig}
        figures = {"TELIG": telig}
        if telig <= 5:
            for col in ("PTRWM_EXP", "PTRWM_HIGH", "PTRWM_EXP_FSM6CLA1A", "READPROG", "WRITPROG", "MATPROG"):
                cells[col] = "SUPP"
        else:
            exp = 0.0 if special else _clip(nat["ks2_rwm_exp"] + 13 * z)
            high = 0.0 if special else _clip(nat["ks2_rwm_high"] + 4 * z + r.gauss(0, 1.5))
            dis = _clip(exp - 14 + r.gauss(0, 8)) if not special and telig >= 11 else None
            cells.update({"PTRWM_EXP": _pct(exp), "PTRWM_HIGH": _pct(high),
                          "PTRWM_EXP_FSM6CLA1A": _pct(dis) if dis is not None else "SUPP"})
            figures.update({"PTRWM_EXP": round(exp), "PTRWM_HIGH": round(high)})
            if dis is not None:
                figures["PTRWM_EXP_FSM6CLA1A"] = round(dis)
            if year < 2023:
                for col in ("READPROG", "WRITPROG", "MATPROG"):
                    prog = round(2.2 * z + r.gauss(0, 0.9) - (3 if special else 0), 1)
                    cells[col] = _num(prog)
                    figures[col] = prog
        lines.append(_line(header, cells))
        stats.append({"la": s.la_code, **figures})
    for la, name in _la_rows([x for x in schools if x.ks2]):
        rows = [st for st in stats if st["la"] == la]
        cells = {"RECTYPE": 3, "LEA": la, "ESTAB": " ", "URN": " ", "SCHNAME": name,
                 "TELIG": sum(st["TELIG"] for st in rows)}
        for col in ("PTRWM_EXP", "PTRWM_HIGH", "PTRWM_EXP_FSM6CLA1A"):
            v = _weighted(rows, col, "TELIG")
            cells[col] = _pct(v) if v is not None else "SUPP"
        if year < 2023:
            for col in ("READPROG", "WRITPROG", "MATPROG"):
                v = _weighted(rows, col, "TELIG")
                cells[col] = _num(v) if v is not None else "SUPP"
        lines.append(_line(header, cells, short=True))
    for rectype, cohort, shift in ((4, 690000, -0.4), (5, 684000, 0)):
        cells = {"RECTYPE": rectype, "LEA": " ", "ESTAB": " ", "URN": " ", "SCHNAME": " ", "TELIG": cohort,
                 "PTRWM_EXP": _pct(nat["ks2_rwm_exp"] + shift), "PTRWM_HIGH": _pct(nat["ks2_rwm_high"]),
                 "PTRWM_EXP_FSM6CLA1A": _pct(nat["ks2_dis_rwm_exp"])}
        if year < 2023:
            cells.update({"READPROG": " ", "WRITPROG": " ", "MATPROG": " "})  # 0 by definition: left blank
        lines.append(_line(header, cells, short=True))
    return _write(path, header, lines)


def write_ks4(schools, year, path, gen):
    header = ks4_header(year)
    nat = NATIONAL[year]
    p8 = nat["ks4_p8"] is not None
    lines, stats = [], []
    for s in (x for x in schools if x.ks4):
        r = gen.rng(s, year, "ks4")
        z = gen.strength(s) + r.gauss(0, 0.4)
        special = s.phase == "special"
        tpup = max(1, round(s.pupils / (6 if s.phase == "secondary" else 12) * r.uniform(0.85, 1.15)))
        if special and r.random() < 0.3:
            tpup = r.randint(2, 5)
        cells = {"RECTYPE": 2 if special else 1, "LEA": s.la_code, "ESTAB": s.estab, "URN": s.urn,
                 "SCHNAME": s.name, "TOWN": s.town, "NFTYPE": NFTYPE.get(s.governance, "CY"), "ICLOSE": 0,
                 "TOTPUPS": s.pupils, "TPUP": tpup}
        figures = {"TPUP": tpup}
        if tpup <= 5:
            for col in ("ATT8SCR", "P8MEA", "PTL2BASICS_95", "EBACCAPS"):
                cells[col] = "SUPP"
        else:
            att8 = _clip((8 if special else nat["ks4_att8"]) + 7.5 * z, 0, 90)
            basics = 0.0 if special else _clip(nat["ks4_basics_95"] + 14 * z)
            ebacc = max(0.0, (0.4 if special else nat["ks4_ebacc_aps"]) + 0.75 * z)
            cells.update({"ATT8SCR": _num(att8), "PTL2BASICS_95": _pct(basics), "EBACCAPS": _num(ebacc, 2)})
            figures.update({"ATT8SCR": round(att8, 1), "PTL2BASICS_95": round(basics),
                            "EBACCAPS": round(ebacc, 2)})
            if p8:
                prog = round((-1.2 if special else 0) + 0.55 * z + r.gauss(0, 0.1), 2)
                cells["P8MEA"] = _num(prog, 2)
                figures["P8MEA"] = prog
        lines.append(_line(header, cells))
        stats.append({"la": s.la_code, **figures})
    for la, _name in _la_rows([x for x in schools if x.ks4]):
        rows = [st for st in stats if st["la"] == la]
        cells = {"RECTYPE": 4, "LEA": la, "TPUP": sum(st["TPUP"] for st in rows)}
        for col, fmt in (("ATT8SCR", _num), ("PTL2BASICS_95", _pct), ("EBACCAPS", lambda v: _num(v, 2)),
                         ("P8MEA", lambda v: _num(v, 2))):
            if col == "P8MEA" and not p8:
                continue
            v = _weighted(rows, col, "TPUP")
            cells[col] = fmt(v) if v is not None else "SUPP"
        lines.append(_line(header, cells, short=True))
    for rectype, cohort, shift in ((5, 640000, -1.0), (7, 580000, 0)):
        cells = {"RECTYPE": rectype, "TPUP": cohort, "ATT8SCR": _num(nat["ks4_att8"] + shift),
                 "PTL2BASICS_95": _pct(nat["ks4_basics_95"] + shift), "EBACCAPS": _num(nat["ks4_ebacc_aps"], 2)}
        if p8:
            cells["P8MEA"] = "" if rectype == 5 else _num(nat["ks4_p8"], 2)
        lines.append(_line(header, cells, short=True))
    return _write(path, header, lines)


def write_absence(schools, year, path, gen):
    header = ABS_HEADER
    lines, stats = [], []
    for s in schools:
        r = gen.rng(s, year, "abs")
        z = gen.strength(s) + r.gauss(0, 0.5)
        overall, persistent = ABSENCE[year][s.abs_phase]
        if r.random() < 0.02:
            lines.append(f"{s.la_code},{s.estab},{s.urn},SUPP,SUPP")
            continue
        o = round(_clip(overall - 1.1 * z, 1.5, 30), 1)
        p = round(_clip(persistent - 5.5 * z, 0.5, 80), 1)
        lines.append(f"{s.la_code},{s.estab},{s.urn},{_num(o)},{_num(p)}")
        stats.append((s.la_code, s.abs_phase, o, p, s.pupils))
    for la, _name in _la_rows(schools):
        for phase in ("PRI", "SEC", "SPE"):
            rows = [x for x in stats if x[0] == la and x[1] == phase]
            if rows:
                total = sum(x[4] for x in rows)
                o = sum(x[2] * x[4] for x in rows) / total
                p = sum(x[3] * x[4] for x in rows) / total
                lines.append(f"{la},{phase},,{_num(o)},{_num(p)}")
    for phase in ("PRI", "SEC", "SPE"):
        o, p = ABSENCE[year][phase]
        lines.append(f"NAT,{phase},,{_num(o)},{_num(p)}")
    return _write(path, header, lines, bom=False, crlf=False)  # the absence downloads have neither


SCHOOLTYPE = {"PRI": "State-funded primary", "SEC": "State-funded secondary", "SPE": "State-funded special school"}


def write_census(schools, year, path, gen):
    header = CENSUS_HEADER
    lines, sums = [], {}
    for s in schools:
        r = gen.rng(s, year, "census")
        z = gen.strength(s)
        fsm, ehc, support, eal = CENSUS[s.abs_phase]
        nor = max(10, round(s.pupils * r.uniform(0.95, 1.05)))
        fsm_p = round(_clip(fsm - 9 * z + r.gauss(0, 3), 1, 90), 1)
        ehc_p = round(_clip(ehc + r.gauss(0, 0.8), 0, 100), 1)
        sup_p = round(_clip(support + r.gauss(0, 3), 0, 100 - ehc_p), 1)
        eal_p = round(_clip(eal + r.gauss(0, 8), 0, 95), 1)
        girls = round(nor * r.uniform(0.46, 0.54))
        cells = {"URN": s.urn, "LA": s.la_code, "ESTAB": s.estab, "SCHOOLTYPE": SCHOOLTYPE[s.abs_phase],
                 "NOR": nor, "NORG": girls, "NORB": nor - girls, "PNORG": _num(100 * girls / nor),
                 "PNORB": _num(100 - 100 * girls / nor), "TSENELSE": round(nor * ehc_p / 100), "PSENELSE": _num(ehc_p),
                 "TSENELK": round(nor * sup_p / 100), "PSENELK": _num(sup_p), "NUMEAL": round(nor * eal_p / 100),
                 "NUMENGFL": nor - round(nor * eal_p / 100), "NUMUNCFL": 0, "PNUMEAL": _num(eal_p),
                 "PNUMENGFL": _num(100 - eal_p), "PNUMUNCFL": 0, "NUMFSM": round(nor * fsm_p / 150),
                 "NUMFSMEVER": round(nor * fsm_p / 100), "PNUMFSMEVER": _num(fsm_p)}
        lines.append(_line(header, cells))
        key = (s.la_code, s.abs_phase)
        acc = sums.setdefault(key, {"NOR": 0, "EHC": 0, "SUP": 0, "EAL": 0, "FSM": 0})
        acc["NOR"] += nor
        acc["EHC"] += cells["TSENELSE"]
        acc["SUP"] += cells["TSENELK"]
        acc["EAL"] += cells["NUMEAL"]
        acc["FSM"] += cells["NUMFSMEVER"]
    for (la, phase), acc in sorted(sums.items()):
        n = acc["NOR"]
        cells = {"URN": "LA", "LA": la, "ESTAB": phase, "SCHOOLTYPE": SCHOOLTYPE[phase], "NOR": n,
                 "TSENELSE": acc["EHC"], "PSENELSE": _num(100 * acc["EHC"] / n), "TSENELK": acc["SUP"],
                 "PSENELK": _num(100 * acc["SUP"] / n), "NUMEAL": acc["EAL"], "PNUMEAL": _num(100 * acc["EAL"] / n),
                 "NUMFSMEVER": acc["FSM"], "PNUMFSMEVER": _num(100 * acc["FSM"] / n)}
        lines.append(_line(header, cells))
    for phase, nor in (("PRI", 4650000), ("SEC", 3480000), ("SPE", 160000)):
        fsm, ehc, support, eal = CENSUS[phase]
        cells = {"URN": "NAT", "LA": "", "ESTAB": phase, "SCHOOLTYPE": SCHOOLTYPE[phase], "NOR": nor,
                 "PSENELSE": _num(ehc), "PSENELK": _num(support), "PNUMEAL": _num(eal), "PNUMFSMEVER": _num(fsm)}
        lines.append(_line(header, cells))
    return _write(path, header, lines)


OEIF_WORD_TO_GRADE = {"outstanding": "1", "good": "2", "requires improvement": "3", "inadequate": "4",
                      "serious weaknesses": "4", "special measures": "4"}
CONCERN = {"serious weaknesses": "Serious weaknesses", "special measures": "Special measures"}
REPORT_CARD_WORDS = ("Exceptional", "Strong standard", "Expected standard", "Needs attention")


def write_ofsted(schools, path, gen):
    """Latest inspections: the register's graded outcome where it has one, a few report cards, some ungraded."""
    header = OFSTED_MI_HEADER
    lines = []
    for s in schools:
        r = random.Random(f"{gen.seed}-{s.urn}-ofsted")
        z = gen.strength(s)
        grade = OEIF_WORD_TO_GRADE.get((s.ofsted_rating or "").lower())
        inspected = s.ofsted_date
        if grade is None:
            grade = "1" if z > 1.3 else "2" if z > -0.9 else "3" if z > -2.2 else "4"
            # Its own random stream: the rest of the row must not depend on whether the register had a grade.
            inspected = date(2019, 9, 10) + timedelta(days=random.Random(f"{gen.seed}-{s.urn}-date").randint(0, 1700))
        cells = {name: "NULL" for name in header}
        cells.update({
            "Web Link (opens in new window)": "", "URN": s.urn, "LAESTAB": f"{s.la_code}{s.estab}", "School name": s.name,
            "Ofsted phase": {"primary": "Primary", "special": "Special"}.get(s.phase, "Secondary"),
            "Local authority": s.la_name, "Total number of pupils": s.pupils,
            "Inspection number of latest OEIF graded inspection": 10200000 + s.urn % 100000,
            "Inspection type of latest OEIF graded inspection": "S5 Inspection",
            "Inspection start date of latest OEIF graded inspection": inspected.strftime("%d/%m/%Y") if inspected else "NULL",
            "Latest OEIF category of concern": CONCERN.get((s.ofsted_rating or "").lower(), ""),
            "Latest OEIF overall effectiveness": grade,
            "Latest OEIF quality of education": grade, "Latest OEIF behaviour and attitudes": grade,
            "Latest OEIF personal development": grade, "Latest OEIF effectiveness of leadership and management": grade,
            "Latest OEIF  safeguarding is effective?": "Yes", "Most recent category of concern": "",
        })
        roll = r.random()
        if roll < 0.12:  # a report-card inspection since November 2025: kept apart from the old grade
            day = date(2025, 11, 10) + timedelta(days=r.randint(0, 130))
            word = REPORT_CARD_WORDS[min(3, max(0, 2 - round(z)))]
            cells.update({"Inspection number of latest full inspection": 10400000 + s.urn % 100000,
                          "Inspection type": "S5 Inspection", "Inspection start date": day.strftime("%d/%m/%Y"),
                          "Category of concern": "", "Safeguarding standards": "Met"})
            for area in ("Inclusion", "Curriculum and teaching", "Achievement", "Attendance and behaviour",
                         "Personal development and wellbeing", "Leadership and governance"):
                cells[area] = word
            cells["Early years (where applicable)"] = word if s.phase == "primary" else "Not applicable"
            cells["Post-16 provision (where applicable)"] = "Not applicable"
        elif roll < 0.3:  # an ungraded inspection: the graded outcome stays
            day = date(2023, 9, 5) + timedelta(days=r.randint(0, 600))
            cells.update({"Latest ungraded inspection number": 10300000 + s.urn % 100000,
                          "Date of latest ungraded inspection": day.strftime("%d/%m/%Y"),
                          "Ungraded inspection overall outcome": "Standards maintained"})
        lines.append(_line(header, cells))
    return _write(path, header, lines, bom=False, crlf=False)


def write_files(schools, out_dir, years=YEARS, seed=2026):
    """Write every demo performance file; returns their paths in a sensible import order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = _Gen(seed)
    la = schools[0].la_code if schools else "899"
    paths = []
    for year in years:
        tag = f"{year}-{(year + 1) % 100:02d}"
        paths.append(write_census(schools, year, out_dir / f"dfe_ptables_{tag}_{la}_census.csv", gen))
        paths.append(write_absence(schools, year, out_dir / f"dfe_ptables_{tag}_{la}_abs.csv", gen))
        paths.append(write_ks2(schools, year, out_dir / f"dfe_ptables_{tag}_{la}_ks2final.csv", gen))
        paths.append(write_ks4(schools, year, out_dir / f"dfe_ptables_{tag}_{la}_ks4final.csv", gen))
    paths.append(write_ofsted(schools, out_dir / f"ofsted_mi_state_funded_latest_inspections_as_at_{OFSTED_AS_AT}.csv",
                              gen))
    return paths


def load(stdout=None, schools=None, out_dir=None):
    """Generate the demo files for the register's schools and import them (idempotent)."""
    from django.conf import settings

    from schools.imports.pipeline import report_lines, run_path
    from schools.models import ImportRecord

    schools = schools if schools is not None else demo_schools()
    if not schools:
        if stdout:
            stdout.write("demo performance: no schools in the register yet; nothing generated")
        return []
    out_dir = Path(out_dir or Path(settings.MEDIA_ROOT) / "demo" / "performance")
    records = []
    for path in write_files(schools, out_dir):
        # Same bytes as an import already done: importing again would change nothing, so skip the work.
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        done = ImportRecord.objects.filter(sha256=digest, status=ImportRecord.Status.DONE).order_by("-pk").first()
        if done is not None:
            records.append(done)
            if stdout:
                stdout.write(f"{path.name}: already imported")
            continue
        record = run_path(path, source="demo")
        records.append(record)
        if stdout:
            for line in report_lines(record)[:2]:
                stdout.write(line)
        if record.status != ImportRecord.Status.DONE:
            raise RuntimeError(f"demo performance file refused: {record.message}")
    return records
